/**
 * The Lua functions every Redis script starts with: key names, number
 * formatting, and the rules (deadline, liveness, member counts, activity,
 * key TTLs, and moderation's from ./staff-lua.ts) that adapters/rules.ts states for the other backends. The
 * contract suite keeps the two in step.
 */
import { LUA_KEYS } from './keys.js';
import { LUA_STAFF } from './staff-lua.js';

export const PRELUDE =
  `
local P = ARGV[1]` +
  LUA_KEYS +
  `local function n2s(x) return string.format('%.0f', x) end
local ROOM_KINDS = {'room', 'pins', 'skel', 'pres', 'presd', 'presn', 'msgs', 'dedupe', 'dedupez', 'mods', 'bans',
  'kicks'}
` +
  LUA_STAFF +
  `
local function live_conns(id, now)
  return redis.call('ZRANGEBYSCORE', k('pres', id), '(' .. n2s(now), '+inf')
end

local function live_count(id, now)
  return redis.call('ZCOUNT', k('pres', id), '(' .. n2s(now), '+inf')
end

local function name_of(data) return string.match(data, '^([^\\n]*)') end

-- presn:{R} keeps, per name, how many connections carry it, as presence
-- changes, so a join into a room of n costs O(1) rather than a walk over the
-- room (issue 12, big rooms). It takes in every connection, expired or not:
-- it answers only while none is past its ttl (exact). A room whose hash lacks
-- 'counted' was made before it: its next presence change builds it once.
local function counted(id)
  return redis.call('HEXISTS', k('room', id), 'counted') == 1
end

local function ensure_counted(id)
  if counted(id) then return end
  redis.call('DEL', k('presn', id))
  local all = redis.call('HGETALL', k('presd', id))
  for i = 2, #all, 2 do redis.call('HINCRBY', k('presn', id), name_of(all[i]), 1) end
  redis.call('HSET', k('room', id), 'counted', '1')
  local ttl = redis.call('PTTL', k('room', id))
  if ttl > 0 then redis.call('PEXPIRE', k('presn', id), ttl) end
end

local function count_name(id, name, by)
  if redis.call('HINCRBY', k('presn', id), name, by) <= 0 then redis.call('HDEL', k('presn', id), name) end
end

local function exact(id, now)
  return counted(id) and #redis.call('ZRANGEBYSCORE', k('pres', id), '-inf', n2s(now), 'LIMIT', 0, 1) == 0
end

local function deadline(id, now)
  local r = redis.call('HMGET', k('room', id), 'expiresAt', 'lastActiveAt', 'idleTimeoutMs')
  if now >= tonumber(r[1]) then return 'expired' end
  if now >= tonumber(r[2]) + tonumber(r[3]) and live_count(id, now) == 0 then return 'idle' end
  return false
end

-- 'live', or 'gone' and a reason, or 'missing'.
local function status(id, now)
  if redis.call('EXISTS', k('room', id)) == 1 then
    local d = deadline(id, now)
    if d then return 'gone', d end
    return 'live'
  end
  local t = redis.call('GET', k('tomb', id))
  if t then return 'gone', t end
  return 'missing'
end

local function names_of(id, conns)
  local out = {}
  if #conns == 0 then return out end
  local data = redis.call('HMGET', k('presd', id), unpack(conns))
  for i = 1, #conns do
    if data[i] then out[#out + 1] = data[i] end
  end
  return out
end

local function member_count(id, now)
  if exact(id, now) then return redis.call('HLEN', k('presn', id)) end
  local seen, n = {}, 0
  for _, d in ipairs(names_of(id, live_conns(id, now))) do
    local name = string.match(d, '^([^\\n]*)')
    if not seen[name] then seen[name] = true; n = n + 1 end
  end
  return n
end

local function name_live(id, name, now)
  if exact(id, now) then return redis.call('HEXISTS', k('presn', id), name) == 1 end
  for _, d in ipairs(names_of(id, live_conns(id, now))) do
    if string.match(d, '^([^\\n]*)') == name then return true end
  end
  return false
end

local function first_seq(id)
  local f = redis.call('ZRANGE', k('msgs', id), 0, 0, 'WITHSCORES')
  if f[2] then return f[2] end
  return n2s(tonumber(redis.call('HGET', k('room', id), 'lastSeq')) + 1)
end

-- Room keys outlive the room's deadlines by a grace period and are
-- refreshed explicitly on every write (HSET, ZADD and HINCRBY keep a key's
-- TTL). The sweep deletes rooms on time; the TTL only collects what is left
-- when no instance is running to sweep.
local function refresh_ttl(id, now, grace)
  local r = redis.call('HMGET', k('room', id), 'expiresAt', 'idleTimeoutMs')
  local ttl = math.min(tonumber(r[1]) - now, tonumber(r[2])) + grace
  if ttl < 1 then ttl = 1 end
  for _, kind in ipairs(ROOM_KINDS) do redis.call('PEXPIRE', k(kind, id), n2s(ttl)) end
end

-- Activity moves the idle deadline later; the sweep's 'due' index is not told
-- (it lives in another slot): it holds a time at or before the room's next
-- deadline, and the sweep re-reads the room then (next_check).
local function touch(id, at)
  if at > tonumber(redis.call('HGET', k('room', id), 'lastActiveAt')) then
    redis.call('HSET', k('room', id), 'lastActiveAt', n2s(at))
  end
end

-- The earliest time the room could be past a deadline, for a room that is not
-- yet: its hard deadline, its idle deadline with no live connection left (one
-- removed from now on moves it to at least now + idle), and, while connections
-- live, the soonest of them expiring.
local function next_check(id, now)
  local r = redis.call('HMGET', k('room', id), 'expiresAt', 'lastActiveAt', 'idleTimeoutMs')
  local idle = tonumber(r[3])
  local quiet = tonumber(r[2]) + idle
  local soonest = redis.call('ZRANGEBYSCORE', k('pres', id), '(' .. n2s(now), '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if soonest[2] and tonumber(soonest[2]) > quiet then quiet = tonumber(soonest[2]) end
  return math.min(tonumber(r[1]), now + idle, quiet)
end

-- The room hash's 'owner' field holds the creator (the quota holder): it was named before rooms had owner keys.
local function view(id, now)
  local r = redis.call('HMGET', k('room', id), 'createdAt', 'expiresAt', 'idleTimeoutMs', 'owner', 'requireAuth',
    'lastActiveAt', 'lastSeq')
  local out = {r[1], r[2], r[3], r[4] or '', r[5], r[6], first_seq(id), r[7], tostring(live_count(id, now)),
    tostring(member_count(id, now))}
  for _, v in ipairs(staff_view(id)) do out[#out + 1] = v end
  return out
end

-- A (name, id) seen before: {'conflict'} for other content, else the original entry or, once
-- trimmed, {'duplicate-trimmed', seq, storedAt}; false when it is new.
local function seen_before(id, dkey, digest)
  local seen = redis.call('HGET', k('dedupe', id), dkey)
  if not seen then return false end
  local a = string.find(seen, '\\n', 1, true)
  local b = string.find(seen, '\\n', a + 1, true)
  local seq = string.sub(seen, 1, a - 1)
  if string.sub(seen, a + 1, b - 1) ~= digest then return {'conflict'} end
  local original = redis.call('ZRANGEBYSCORE', k('msgs', id), seq, seq)
  if original[1] then return {'duplicate', original[1]} end
  return {'duplicate-trimmed', seq, string.sub(seen, b + 1)}
end

-- Stores an entry (message or action) as the room's seq with its link, records its dedupe entry, and
-- trims history to the cap: oldest dedupe entries first, stopping at the first still needed (in
-- history or in the window), so it costs what it removes, never a walk over the window.
local function store_entry(id, seq, link, body, dkey, digest, storedAt, now, cap, window)
  redis.call('HSET', k('room', id), 'lastSeq', n2s(seq), 'lastChain', link)
  local member = n2s(seq) .. ':' .. body
  redis.call('ZADD', k('msgs', id), n2s(seq), member)
  redis.call('HSET', k('dedupe', id), dkey, n2s(seq) .. '\\n' .. digest .. '\\n' .. storedAt)
  redis.call('ZADD', k('dedupez', id), storedAt, dkey)
  touch(id, now)
  if seq > cap and redis.call('ZREMRANGEBYSCORE', k('msgs', id), '-inf', seq - cap) > 0 then
    local firstSeq, cutoff = seq - cap + 1, now - window
    local done = false
    while not done do
      local old = redis.call('ZRANGE', k('dedupez', id), 0, 31, 'WITHSCORES')
      if #old == 0 then break end
      for i = 1, #old, 2 do
        local d = old[i]
        local v = redis.call('HGET', k('dedupe', id), d)
        if v and (tonumber(old[i + 1]) >= cutoff
            or tonumber(string.sub(v, 1, string.find(v, '\\n', 1, true) - 1)) >= firstSeq) then
          done = true
          break
        end
        redis.call('HDEL', k('dedupe', id), d)
        redis.call('ZREM', k('dedupez', id), d)
      end
    end
  end
  return member
end

local function removal(id, conn, data, now)
  local last = name_live(id, string.match(data, '^([^\\n]*)'), now) and '0' or '1'
  return {id, data, last, tostring(member_count(id, now))}
end
`;
