-- One budget's grant decision, atomically, on Redis's clock (the mirror of BudgetAllocator.java and GrantLog.java).
-- KEYS: 1 grant log (sorted set: member "slot|sequence|tenant", score the time the grant stops counting), 2 per-tenant
-- counts (hash), 3 and 6 the demand and offered rates of replicas of the earlier version (hashes, "replica|tenant" ->
-- "amount|weight|cap|expiresAt": read during a rolling update, never written), 4 state (hash: value, at, paused, seq),
-- 5 live replicas (zset), 7 members (hash, replica -> "lastCall|share|probing": every replica seen within the hold,
-- the share of the limit it takes if it degrades, as its last answer told it, or, when its last call was a degraded
-- replica's probe (probing 1), the share it grants locally), 8 reports (hash, replica -> "expiresAt" then
-- " tenant backlog weight cap offered" for each tenant it has a backlog or an offered rate for: one field a replica,
-- replaced whole by each of its calls).
-- ARGV: 1 replica, 2 limit, 3 window us, 4 horizon us, 5 demand ttl us, 6 replica ttl us, 7 fence (0 none,
-- 1 recent grants, 2 degraded return, 3 leaving), 8 recovery per s, 9 local grants carried on a degraded return,
-- 10 number of demands, 11 earliest slot (us after now: the caller's lead, so that its grants reach it before their
-- slots), 12 reach (us: how long after its slot each grant of this call counts, at least the window), 13 hold (us: how
-- long the share of a replica that stopped calling is kept out of the limit), 14 members the caller saw before it
-- degraded (on a degraded return; 0 otherwise), 15 the share it took then, 16 the demands, space-separated: per
-- demand tenant, backlog, weight, cap (-1 none), offered (requests per second the tenant brought to the budget at the
-- caller lately), then the number of refunds, then per refund: grant id, then the number of departures, then
-- per departure: grant id, time (us) until which it counts, how (0 at most, 1 exactly, 2 at least).
-- A grant counts until its slot plus its reach, or until its reported departure plus the window, or its reported
-- answer plus the window. A new slot s is
-- allowed while fewer than limit grants count after s: any call that can reach WeChat within a second of one sent at
-- s does, so no sliding second holds more than limit calls.
-- A replica that stopped calling may be degraded, granting its share of the limit locally: its share stays out of the
-- limit until it calls again or leaves, for at most the hold; so do the shares of the replicas a degraded return says
-- it shared with, when this store does not know them (it lost its state meanwhile).
-- Returns: effective limit (less the shares held out), live replicas, next slot (us from now, -1 when all was
-- granted), Redis's clock (us, the "now" every delay counts from), one character per demand ('1' when its tenant offers
-- more than its share: over all replicas, more requests per second than its weighted max-min fair share of the limit
-- computed over what every tenant offers; '0' otherwise), then the members (replicas seen within the hold, the caller
-- included), then per grant: demand index (1-based), delay us, grant id.
local logKey, countsKey, demandKey, stateKey, replicasKey, offeredKey, membersKey, reportsKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local replica = ARGV[1]
local maxLimit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local horizon = tonumber(ARGV[4])
local demandTtl = tonumber(ARGV[5])
local replicaTtl = tonumber(ARGV[6])
local fence = tonumber(ARGV[7])
local recovery = tonumber(ARGV[8])
local carried = tonumber(ARGV[9])
local n = tonumber(ARGV[10])
local lead = tonumber(ARGV[11])
local reach = math.max(window, tonumber(ARGV[12]))
local hold = tonumber(ARGV[13])
local peers = tonumber(ARGV[14])
local peerShare = tonumber(ARGV[15])
local demandsAt = 16
-- a degraded replica's probe: it may go on granting locally (its answer may never reach it), so its share stays held
-- until a call of it in shared mode
local probing = fence == 2 and peers > 0

-- micros exceed Lua's 14-digit number formatting: always write them with %d
local function us(x) return string.format('%d', x) end

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])

-- effective limit (AIMD state) and pause
local state = redis.call('HMGET', stateKey, 'value', 'at', 'paused', 'ceiling', 'until')
local value, at, paused = tonumber(state[1]), tonumber(state[2]), tonumber(state[3]) or 0
if value == nil then
  value, at = maxLimit, now
  if fence > 0 then paused = now + reach + horizon end
end
local cap = maxLimit
if state[4] and state[5] and now < tonumber(state[5]) then cap = math.min(maxLimit, tonumber(state[4])) end
local limitValue = math.min(cap, value + recovery * math.max(0, now - at) / 1000000)
redis.call('HSET', stateKey, 'value', tostring(limitValue), 'at', us(now), 'paused', us(paused))
local limit = math.floor(limitValue)

-- the tenant of a log member "slot|sequence|tenant" ('' for grants carried from a degraded replica)
local function tenantOf(member)
  local first = string.find(member, '|', 1, true)
  return string.sub(member, string.find(member, '|', first + 1, true) + 1)
end
local function uncount(tenant)
  if tenant ~= '' and redis.call('HINCRBY', countsKey, tenant, -1) <= 0 then redis.call('HDEL', countsKey, tenant) end
end

-- trim the log: a grant that stopped counting by now is in no window from now on
for _, member in ipairs(redis.call('ZRANGEBYSCORE', logKey, '-inf', us(now))) do uncount(tenantOf(member)) end
redis.call('ZREMRANGEBYSCORE', logKey, '-inf', us(now))

-- grants given back unused (nothing was sent on them): out of the log, so they stop counting against the limit
local refundsAt = demandsAt + 1
local refunds = tonumber(ARGV[refundsAt] or '0')
for i = 1, refunds do
  local member = ARGV[refundsAt + i]
  if redis.call('ZREM', logKey, member) == 1 then uncount(tenantOf(member)) end
end
-- grants whose requests left (count 0: until their departure plus the window less the late tolerance, when that is
-- sooner), were answered (1: until the answer plus the window, sooner or later) or got no answer (2: at least until
-- then); an answered grant trimmed meanwhile comes back when it must count past now
local departuresAt = refundsAt + refunds + 1
for i = 1, tonumber(ARGV[departuresAt] or '0') do
  local at = departuresAt + 3 * i - 2
  local member, untilAt, count = ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local score = tonumber(redis.call('ZSCORE', logKey, member))
  if score then
    if (count == 0 and score > untilAt) or (count == 1 and score ~= untilAt) or (count == 2 and score < untilAt) then
      redis.call('ZADD', logKey, 'XX', us(untilAt), member)
    end
  elseif count > 0 and untilAt > now then
    redis.call('ZADD', logKey, us(untilAt), member)
    local tenant = tenantOf(member)
    if tenant ~= '' then redis.call('HINCRBY', countsKey, tenant, 1) end
  end
end

-- the next member's sequence number (members must be unique: two grants may share a slot and a tenant)
local seq = redis.call('HINCRBY', stateKey, 'seq', 1)
local seqPart = 0
local function member(slot, tenant)
  seqPart = seqPart + 1
  return us(slot) .. '|' .. seq .. '.' .. seqPart .. '|' .. tenant
end

-- a replica back from degraded mode: its local grants that may still be in a window go in unattributed, counting
-- as long as the longest-counting grant in the log (every window holding both a local grant and a later shared one
-- holds them too)
if fence == 2 and carried > 0 then
  local untilAt = now + window
  local last = redis.call('ZRANGE', logKey, -1, -1, 'WITHSCORES')
  if #last > 0 then untilAt = math.max(untilAt, tonumber(last[2])) end
  for _ = 1, carried do redis.call('ZADD', logKey, us(untilAt), member(now, '')) end
end

-- live replicas (a leaving one is gone at once)
if fence == 3 then
  redis.call('ZREM', replicasKey, replica)
else
  redis.call('ZADD', replicasKey, now, replica)
end
redis.call('ZREMRANGEBYSCORE', replicasKey, '-inf', now - replicaTtl)
local live = redis.call('ZCARD', replicasKey)

-- shares held out of this call's grants: a member that stopped calling may be degraded and granting its share locally
-- after its last call plus the degraded pause (a replica ttl, a window and the horizon: RedisLoss); its share is held
-- from every grant that would count past then
local held, members = 0, 0
local latestCount = now + lead + horizon + reach
local degradedPause = replicaTtl + window + horizon
local all = redis.call('HGETALL', membersKey)
for i = 1, #all, 2 do
  local v = all[i + 1]
  local bar = string.find(v, '|', 1, true)
  local bar2 = string.find(v, '|', bar + 1, true)
  local lastCall = tonumber(string.sub(v, 1, bar - 1))
  local share = tonumber(string.sub(v, bar + 1, bar2 and bar2 - 1 or -1))
  local degraded = bar2 ~= nil and string.sub(v, bar2 + 1) == '1'
  if all[i] == replica or lastCall <= now - hold then
    if all[i] ~= replica or fence == 3 then redis.call('HDEL', membersKey, all[i]) end
  else
    members = members + 1
    if degraded or lastCall + degradedPause < latestCount then held = held + share end
  end
end
if fence ~= 3 then members = members + 1 end
-- a degraded return names how many replicas shared the limit before and the share it took: those this store does not
-- know (it lost its state) may still be degraded; their shares stay held until as many are members or the hold ends
local expected = redis.call('HMGET', stateKey, 'expected', 'expectedShare', 'expectedUntil')
local expectedCount, expectedShare, expectedUntil = tonumber(expected[1]) or 0, tonumber(expected[2]) or 0,
  tonumber(expected[3]) or 0
if expectedUntil <= now then expectedCount, expectedShare = 0, 0 end
if fence == 2 and peers > 0 then
  expectedCount, expectedShare, expectedUntil =
    math.max(expectedCount, peers), math.max(expectedShare, peerShare), now + hold
  redis.call('HSET', stateKey, 'expected', expectedCount, 'expectedShare', expectedShare,
    'expectedUntil', us(expectedUntil))
end
if expectedUntil > now then held = held + math.max(0, expectedCount - members) * expectedShare end
-- grants leave the held shares out; whether a tenant offers more than its share is judged against the whole limit
-- (a replica held for may only be slow: its tenants then wait, slower, instead of being refused)
local wholeLimit = limit
limit = math.max(0, limit - held)
-- the caller's share if it degrades (RedisLoss: at least one), or the share a probing replica grants locally
if fence ~= 3 then
  local share = probing and peerShare or math.max(1, math.floor(limit / math.max(1, live)))
  redis.call('HSET', membersKey, replica, us(now) .. '|' .. share .. '|' .. (probing and '1' or '0'))
end

-- the caller's demands
local mine = {}
for tenant, b, w, c, o in string.gmatch(ARGV[demandsAt], '([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+)') do
  mine[#mine + 1] = { tenant = tenant, backlog = tonumber(b), weight = tonumber(w), cap = tonumber(c),
    offered = tonumber(o), rate = o }
end
if #mine ~= n then return redis.error_reply('ERR budget: ' .. n .. ' demands announced, ' .. #mine .. ' read') end

-- global demand of all live replicas, and each tenant's grants in the log
local tenants, weight, cap = {}, {}, {}
local function known(tenant)
  if weight[tenant] == nil then
    tenants[#tenants + 1] = tenant
    weight[tenant], cap[tenant] = 1, -1
  end
end
local backlog, offered = {}, {}
local function add(tenant, b, o, w, c)
  if b > 0 or o > 0 then
    known(tenant)
    if b > 0 then backlog[tenant] = (backlog[tenant] or 0) + b end
    if o > 0 then offered[tenant] = (offered[tenant] or 0) + o end
    weight[tenant], cap[tenant] = w, c
  end
end
-- the other replicas' live reports (expired ones are removed), then the caller's own, as it reports them now
local reports = redis.call('HGETALL', reportsKey)
for i = 1, #reports, 2 do
  local field, v = reports[i], reports[i + 1]
  local space = string.find(v, ' ', 1, true)
  if tonumber(string.sub(v, 1, (space or 0) - 1)) <= now then
    redis.call('HDEL', reportsKey, field)
  elseif field ~= replica and space then
    for tenant, b, w, c, o in string.gmatch(string.sub(v, space + 1), '([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+) ([^ ]+)') do
      add(tenant, tonumber(b), tonumber(o), tonumber(w), tonumber(c))
    end
  end
end
for _, d in ipairs(mine) do add(d.tenant, d.backlog, d.offered, d.weight, d.cap) end
-- the live entries "amount|weight|cap|expiresAt" of the earlier version's replicas (during a rolling update), added to
-- sum; expired ones are removed
local function reported(key, sum)
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local field, v = all[i], all[i + 1]
    local b1 = string.find(v, '|', 1, true)
    local b2 = string.find(v, '|', b1 + 1, true)
    local b3 = string.find(v, '|', b2 + 1, true)
    if tonumber(string.sub(v, b3 + 1)) <= now then
      redis.call('HDEL', key, field)
    else
      local tenant = string.sub(field, string.find(field, '|', 1, true) + 1)
      known(tenant)
      sum[tenant] = (sum[tenant] or 0) + tonumber(string.sub(v, 1, b1 - 1))
      weight[tenant] = tonumber(string.sub(v, b1 + 1, b2 - 1))
      cap[tenant] = tonumber(string.sub(v, b2 + 1, b3 - 1))
    end
  end
end
reported(demandKey, backlog)
reported(offeredKey, offered)
local count = {}
local counts = redis.call('HGETALL', countsKey)
for i = 1, #counts, 2 do
  local tenant = counts[i]
  count[tenant] = tonumber(counts[i + 1])
  known(tenant)
end
-- fair shares count only the grants still counting at the end of the horizon
for _, e in ipairs(redis.call('ZRANGEBYSCORE', logKey, '-inf', us(now + horizon))) do
  local tenant = tenantOf(e)
  if tenant ~= '' then count[tenant] = (count[tenant] or 0) - 1 end
end

-- weighted max-min fair shares of the limit (water filling) among the tenants, each bounded by what it wants and its
-- cap (FairShare.java)
local function fairShares(wants, total)
  local share, bound, active, activeCount = {}, {}, {}, 0
  for _, t in ipairs(tenants) do
    local want = wants(t)
    if cap[t] >= 0 then want = math.min(want, cap[t]) end
    bound[t], share[t] = want, 0
    if want > 1e-9 then
      active[t] = true
      activeCount = activeCount + 1
    end
  end
  local remaining = total
  while activeCount > 0 and remaining > 1e-9 do
    local weights = 0
    for t in pairs(active) do weights = weights + weight[t] end
    local unit = remaining / weights
    local saturated = {}
    for t in pairs(active) do
      if bound[t] - share[t] <= unit * weight[t] + 1e-9 then saturated[#saturated + 1] = t end
    end
    if #saturated == 0 then
      for t in pairs(active) do share[t] = share[t] + unit * weight[t] end
      remaining = 0
    else
      for _, t in ipairs(saturated) do
        remaining = remaining - (bound[t] - share[t])
        share[t] = bound[t]
        active[t] = nil
        activeCount = activeCount - 1
      end
    end
  end
  return share
end
-- the shares the grants follow: of the backlog of all replicas plus the grants counting at the end of the horizon
local share = fairShares(function(t) return (count[t] or 0) + (backlog[t] or 0) end, limit)
-- whether the limit has room for what each of the caller's tenants offers: shares of the offered rates
local offeredShare = fairShares(function(t) return offered[t] or 0 end, wholeLimit)
local over = {}
for i, d in ipairs(mine) do
  over[i] = (offered[d.tenant] or 0) > (offeredShare[d.tenant] or 0) + 1e-6 and '1' or '0'
end

-- grants: earliest slots within the horizon, to the caller's tenant with the lowest virtual time
local room, wanted = {}, 0
for i, d in ipairs(mine) do
  room[i] = math.min(d.backlog, math.max(0, math.ceil((share[d.tenant] or 0) - (count[d.tenant] or 0) - 1e-9)))
  wanted = wanted + d.backlog
end
local size = redis.call('ZCARD', logKey)
local notBefore = math.max(now + lead, paused)
local function nextSlot()
  if limit <= 0 then return now + window + horizon end
  if size < limit then return notBefore end
  local kth = redis.call('ZREVRANGE', logKey, limit - 1, limit - 1, 'WITHSCORES')
  return math.max(notBefore, tonumber(kth[2]))
end
local result = { limit, live, -1, now, table.concat(over), members }
local granted = 0
while true do
  local best, bestTime = nil, nil
  for i, d in ipairs(mine) do
    local vt = ((count[d.tenant] or 0) + 1) / d.weight
    if room[i] > 0 and (bestTime == nil or vt < bestTime) then best, bestTime = i, vt end
  end
  if best == nil then break end
  local slot = nextSlot()
  if slot > now + lead + horizon then break end
  local tenant = mine[best].tenant
  local id = member(slot, tenant)
  redis.call('ZADD', logKey, us(slot + reach), id)
  redis.call('HINCRBY', countsKey, tenant, 1)
  count[tenant] = (count[tenant] or 0) + 1
  size = size + 1
  room[best] = room[best] - 1
  granted = granted + 1
  result[#result + 1] = best
  result[#result + 1] = slot - now
  result[#result + 1] = id
end
if wanted > granted then result[3] = nextSlot() - now end

-- what stays reported is what is still waiting
local given = {}
for i = 7, #result, 3 do given[result[i]] = (given[result[i]] or 0) + 1 end
local record = { us(now + demandTtl) }
for i, d in ipairs(mine) do
  local left = d.backlog - (given[i] or 0)
  if left > 0 or d.offered > 0 then
    record[#record + 1] = d.tenant .. ' ' .. left .. ' ' .. d.weight .. ' ' .. d.cap .. ' ' .. d.rate
  end
end
if #record > 1 then
  redis.call('HSET', reportsKey, replica, table.concat(record, ' '))
else
  redis.call('HDEL', reportsKey, replica)
end

-- kept while its longest-counting grant counts
local keep = math.ceil((window + horizon) / 1000) * 2
local top = redis.call('ZRANGE', logKey, -1, -1, 'WITHSCORES')
if #top > 0 then keep = math.max(keep, math.ceil((tonumber(top[2]) - now) / 1000) * 2) end
redis.call('PEXPIRE', logKey, keep)
redis.call('PEXPIRE', countsKey, keep)
redis.call('PEXPIRE', reportsKey, math.ceil(demandTtl / 1000) * 2)
redis.call('PEXPIRE', replicasKey, math.ceil(replicaTtl / 1000) * 2)
redis.call('PEXPIRE', membersKey, math.ceil(hold / 1000) * 2)
return result
