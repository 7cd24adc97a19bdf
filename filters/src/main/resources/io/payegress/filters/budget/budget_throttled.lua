-- Upstream throttling feedback for one budget (the mirror of AdaptiveLimit.throttled): multiply the effective
-- limit by the factor, at most once per cooldown, never below the floor, and hold recovery below the ceiling
-- factor of the level the signal came at for the hold time. KEYS: 1 state (hash).
-- ARGV: 1 limit, 2 floor, 3 recovery per s, 4 factor, 5 cooldown us, 6 ceiling factor, 7 ceiling hold us.
-- Returns the new limit, rounded down.
local stateKey = KEYS[1]
local maxLimit, floor, recovery, factor, cooldown =
  tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local ceilingFactor, hold = tonumber(ARGV[6]), tonumber(ARGV[7])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local state = redis.call('HMGET', stateKey, 'value', 'at', 'decreased', 'ceiling', 'until')
local value, at, decreased = tonumber(state[1]) or maxLimit, tonumber(state[2]) or now, tonumber(state[3])
local cap = maxLimit
if state[4] and state[5] and now < tonumber(state[5]) then cap = math.min(maxLimit, tonumber(state[4])) end
local current = math.min(cap, value + recovery * math.max(0, now - at) / 1000000)
if decreased == nil or now - decreased >= cooldown then
  local ceiling = math.max(floor, current * ceilingFactor)
  current = math.max(floor, current * factor)
  redis.call('HSET', stateKey, 'decreased', string.format('%d', now), 'ceiling', tostring(ceiling),
    'until', string.format('%d', now + hold))
end
redis.call('HSET', stateKey, 'value', tostring(current), 'at', string.format('%d', now))
return math.floor(current)
