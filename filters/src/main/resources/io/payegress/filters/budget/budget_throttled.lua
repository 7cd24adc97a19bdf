-- Upstream throttling feedback for one budget (the mirror of AdaptiveLimit.throttled): multiply the effective
-- limit by the factor, at most once per cooldown, never below the floor. KEYS: 1 state (hash).
-- ARGV: 1 limit, 2 floor, 3 recovery per s, 4 factor, 5 cooldown us. Returns the new limit, rounded down.
local stateKey = KEYS[1]
local maxLimit, floor, recovery, factor, cooldown =
  tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local state = redis.call('HMGET', stateKey, 'value', 'at', 'decreased')
local value, at, decreased = tonumber(state[1]) or maxLimit, tonumber(state[2]) or now, tonumber(state[3])
local current = math.min(maxLimit, value + recovery * math.max(0, now - at) / 1000000)
if decreased == nil or now - decreased >= cooldown then
  current = math.max(floor, current * factor)
  redis.call('HSET', stateKey, 'decreased', string.format('%d', now))
end
redis.call('HSET', stateKey, 'value', tostring(current), 'at', string.format('%d', now))
return math.floor(current)
