/**
 * The Lua side of the Redis adapter. Every operation that reads and then
 * writes is one script, because a script runs atomically on the server:
 * that is what makes sequence assignment, name pinning, quotas and expiry
 * safe with many tiny-chat instances on one Redis.
 *
 * Each script touches the keys of one room only, all in one Redis Cluster
 * slot (the `{roomId}` hash tag, see ./keys.ts); it is sent with the room's
 * main key as KEYS[1] so that a cluster routes it, and builds the others with
 * `k` from the prefix in ARGV[1]. What spans rooms (sweep indexes, quotas) is
 * kept apart in ./index-scripts.ts. Numbers travel as strings and are
 * formatted with %.0f: Lua 5.1 would print a millisecond timestamp in
 * exponent notation.
 *
 * Keys per room R: room:{R} (hash), tomb:{R} (string, the reason), pins:{R}
 * and skel:{R} (hashes), pres:{R} (zset connId -> expiry), presd:{R} (hash
 * connId -> "name\nalg\npub"), presn:{R} (hash name -> its connections, see
 * the prelude), msgs:{R} (zset seq -> "seq:json": a message, an action or a
 * tombstone), dedupe:{R} (hash "name\nid" -> "seq\ndigest\nstoredAt"),
 * dedupez:{R} (zset same -> storedAt); mods:{R}, bans:{R} and kicks:{R} are
 * moderation's (./staff-lua.ts; actions in ./moderation-scripts.ts).
 */
import { MODERATION_SCRIPTS } from './moderation-scripts.js';
import { PRELUDE } from './prelude.js';

/**
 * ARGV: P, id, createdAt, expiresAt, idleTimeoutMs, creator, requireAuth, grace, genesis link, owner key alg and
 * pub ('' for none). The quota was reserved before, in the creator's slot; the sweep index entry written too.
 */
const CREATE_ROOM = `
local id, createdAt = ARGV[2], tonumber(ARGV[3])
if redis.call('EXISTS', k('room', id)) == 1 or redis.call('EXISTS', k('tomb', id)) == 1 then return {'exists'} end
local owner = ARGV[6]
local fields = {'createdAt', ARGV[3], 'expiresAt', ARGV[4], 'idleTimeoutMs', ARGV[5], 'requireAuth', ARGV[7],
  'lastActiveAt', ARGV[3], 'lastSeq', '0', 'lastChain', ARGV[9], 'counted', '1'}
if owner ~= '' then
  fields[#fields + 1] = 'owner'
  fields[#fields + 1] = owner
end
if ARGV[10] ~= '' then
  for _, f in ipairs({'ownerAlg', ARGV[10], 'ownerPub', ARGV[11]}) do fields[#fields + 1] = f end
end
redis.call('HSET', k('room', id), unpack(fields))
refresh_ttl(id, createdAt, tonumber(ARGV[8]))
local v = view(id, createdAt)
table.insert(v, 1, 'created')
return v
`;

/** ARGV: P, id, now. */
const LOOKUP = `
local id, now = ARGV[2], tonumber(ARGV[3])
local s, reason = status(id, now)
if s ~= 'live' then return {s, reason} end
local v = view(id, now)
table.insert(v, 1, 'live')
return v
`;

/** ARGV: P, id, now, keyId, subject ('' = none), grace, then name, skeleton pairs. */
const BIND = `
local id, now, keyId, subject = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local s, reason = status(id, now)
if s ~= 'live' then return {s, reason} end
local pinned = redis.call('HGET', k('pins', id), keyId)
local refused = bind_refusal(id, keyId, subject, pinned, now)
if refused then return refused end
if pinned then
  local sep = string.find(pinned, '\\n', 1, true)
  if string.sub(pinned, sep + 1) ~= subject then return {'subject-mismatch'} end
  return {'bound', string.sub(pinned, 1, sep - 1), '1'}
end
for i = 7, #ARGV, 2 do
  if redis.call('HSETNX', k('skel', id), ARGV[i + 1], keyId) == 1 then
    redis.call('HSET', k('pins', id), keyId, ARGV[i] .. '\\n' .. subject)
    refresh_ttl(id, now, tonumber(ARGV[6]))
    return {'bound', ARGV[i], '0'}
  end
end
return {'names-taken'}
`;

/** ARGV: P, id, now, ttl, connId, "name\nalg\npub", grace. */
const ADD_PRESENCE = `
local id, now, ttl, conn, data = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], ARGV[6]
local s, reason = status(id, now)
if s ~= 'live' then return {s, reason} end
ensure_counted(id)
local existing = redis.call('ZSCORE', k('pres', id), conn)
local first = (not existing) and (not name_live(id, name_of(data), now))
local old = redis.call('HGET', k('presd', id), conn)
if old then count_name(id, name_of(old), -1) end
count_name(id, name_of(data), 1)
redis.call('ZADD', k('pres', id), n2s(now + ttl), conn)
redis.call('HSET', k('presd', id), conn, data)
touch(id, now)
refresh_ttl(id, now, tonumber(ARGV[7]))
return {'ok', first and '1' or '0', tostring(member_count(id, now))}
`;

/** ARGV: P, id, now, ttl, grace, connIds... Returns the ids it could not extend. */
const REFRESH_PRESENCE = `
local id, now, ttl = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local missed = {}
if status(id, now) ~= 'live' then
  for i = 6, #ARGV do missed[#missed + 1] = ARGV[i] end
  return missed
end
for i = 6, #ARGV do
  local score = redis.call('ZSCORE', k('pres', id), ARGV[i])
  if score and tonumber(score) > now then
    redis.call('ZADD', k('pres', id), n2s(now + ttl), ARGV[i])
  else
    missed[#missed + 1] = ARGV[i]
  end
end
refresh_ttl(id, now, tonumber(ARGV[5]))
return missed
`;

/** ARGV: P, id, connId, now. */
const REMOVE_PRESENCE = `
local id, conn, now = ARGV[2], ARGV[3], tonumber(ARGV[4])
local data = redis.call('HGET', k('presd', id), conn)
if not data or redis.call('EXISTS', k('room', id)) == 0 then return false end
ensure_counted(id)
count_name(id, name_of(data), -1)
redis.call('ZREM', k('pres', id), conn)
redis.call('HDEL', k('presd', id), conn)
touch(id, now)
return removal(id, conn, data, now)
`;

/**
 * ARGV: P, id, connId, now. One entry of a sweep index bucket, checked against the room:
 * 'removed' and the removal (roomId, data, last, memberCount) when it expired, 'alive' and its
 * expiry when a heartbeat extended it, 'gone' when it or its room no longer exists.
 */
const SWEEP_CONN = `
local id, conn, now = ARGV[2], ARGV[3], tonumber(ARGV[4])
local score = redis.call('ZSCORE', k('pres', id), conn)
local data = redis.call('HGET', k('presd', id), conn)
if not score or not data or redis.call('EXISTS', k('room', id)) == 0 then return {'gone'} end
if tonumber(score) > now then return {'alive', score} end
ensure_counted(id)
count_name(id, name_of(data), -1)
redis.call('ZREM', k('pres', id), conn)
redis.call('HDEL', k('presd', id), conn)
-- A dead instance's connection was last known alive at its expiry.
touch(id, tonumber(score))
local out = removal(id, conn, data, now)
table.insert(out, 1, 'removed')
return out
`;

/**
 * ARGV: P, id, now, cap, dedupeWindowMs, "name\nid", digest, message json (no seq), grace, expected lastSeq,
 * expected lastChain ('' for a room made before the chain), the new link.
 *
 * Lua has no SHA-256, so the instance computes the link from the head it
 * expects, and the script stores it only if that is still the head (a
 * compare-and-set); otherwise it answers 'stale' with the head as it is,
 * and the instance computes again.
 */
const APPEND = `
local id, now, cap, window = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local dkey, digest, body = ARGV[6], ARGV[7], ARGV[8]
local s, reason = status(id, now)
if s ~= 'live' then return {s, reason} end
local seen = seen_before(id, dkey, digest)
if seen then return seen end
local head = redis.call('HMGET', k('room', id), 'lastSeq', 'lastChain', 'createdAt')
if head[1] ~= ARGV[10] or (head[2] or '') ~= ARGV[11] then return {'stale', head[1], head[2] or '', head[3]} end
local member = store_entry(id, tonumber(head[1]) + 1, ARGV[12], body, dkey, digest, ARGV[3], now, cap, window)
refresh_ttl(id, now, tonumber(ARGV[9]))
return {'stored', member}
`;

/** ARGV: P, id, now, 'after'|'before', bound, limit. Returns status, firstSeq, lastSeq, members... */
const READ = `
local id, now, mode, bound, limit = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local s, reason = status(id, now)
if s ~= 'live' then return {s, reason} end
local rows
if mode == 'after' then
  rows = redis.call('ZRANGEBYSCORE', k('msgs', id), '(' .. bound, '+inf', 'LIMIT', 0, limit)
else
  rows = redis.call('ZREVRANGEBYSCORE', k('msgs', id), '(' .. bound, '-inf', 'LIMIT', 0, limit)
end
local out = {'live', first_seq(id), redis.call('HGET', k('room', id), 'lastSeq')}
if mode == 'after' then
  for i = 1, #rows do out[#out + 1] = rows[i] end
else
  for i = #rows, 1, -1 do out[#out + 1] = rows[i] end
end
return out
`;

/**
 * ARGV: P, id, now, tombstoneMs. A room the sweep index says may be due: 'deleted', the reason,
 * the owner ('' for none) and its connection ids when it was past a deadline (deleted here, so
 * each room is deleted by one caller); 'later' and when to look again; 'missing'.
 */
const EXPIRE_ROOM = `
local id, now, tombMs = ARGV[2], tonumber(ARGV[3]), ARGV[4]
if redis.call('EXISTS', k('room', id)) == 0 then return {'missing'} end
local reason = deadline(id, now)
if not reason then return {'later', n2s(next_check(id, now))} end
local out = {'deleted', reason, redis.call('HGET', k('room', id), 'owner') or ''}
for _, conn in ipairs(redis.call('ZRANGE', k('pres', id), 0, -1)) do out[#out + 1] = conn end
for _, kind in ipairs(ROOM_KINDS) do redis.call('DEL', k(kind, id)) end
redis.call('SET', k('tomb', id), reason, 'PX', tombMs)
return out
`;

/**
 * ARGV: P, id, now, tombstoneMs. Deletes a live room now, as EXPIRE_ROOM does
 * at a deadline, remembering it as 'ended': {'ended', owner, connIds...}, or
 * the room's status when it is not live.
 */
const END_ROOM = `
local id, now, tombMs = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local s, reason = status(id, now)
if s ~= 'live' then return {s, reason} end
local out = {'ended', redis.call('HGET', k('room', id), 'owner') or ''}
for _, conn in ipairs(redis.call('ZRANGE', k('pres', id), 0, -1)) do out[#out + 1] = conn end
for _, kind in ipairs(ROOM_KINDS) do redis.call('DEL', k(kind, id)) end
redis.call('SET', k('tomb', id), 'ended', 'PX', tombMs)
return out
`;

/** ARGV: P, id, now. Returns the live presence data strings. */
const MEMBERS = `
local id, now = ARGV[2], tonumber(ARGV[3])
return names_of(id, live_conns(id, now))
`;

export const SCRIPTS = {
  createRoom: PRELUDE + CREATE_ROOM,
  lookup: PRELUDE + LOOKUP,
  bind: PRELUDE + BIND,
  addPresence: PRELUDE + ADD_PRESENCE,
  refreshPresence: PRELUDE + REFRESH_PRESENCE,
  removePresence: PRELUDE + REMOVE_PRESENCE,
  sweepConn: PRELUDE + SWEEP_CONN,
  append: PRELUDE + APPEND,
  read: PRELUDE + READ,
  expireRoom: PRELUDE + EXPIRE_ROOM,
  endRoom: PRELUDE + END_ROOM,
  members: PRELUDE + MEMBERS,
  ...MODERATION_SCRIPTS,
} as const;

export type ScriptName = keyof typeof SCRIPTS;
