/**
 * The Redis script that stores a moderation action (adapters/types.ts
 * appendAction): in one atomic step on the room's slot, it checks the actor's
 * standing (./staff-lua.ts may_act), the remove's target, and the room's head
 * (the link was computed by the instance from it, as for messages: Lua has
 * no SHA-256), then stores the action in the room's order and applies it.
 *
 * A remove's target is named by its exact stored member, read by the
 * instance just before: the script replaces it with the tombstone only if it
 * is still that member, so the text leaves the key in the same step.
 */
import { PRELUDE } from './prelude.js';

/**
 * ARGV: P, id, now, cap, dedupeWindowMs, "name\nid", digest, entry json (no seq), grace, expected lastSeq,
 * expected lastChain, the new link, actor key id, act, target key id ('' for none), value (a kick's until,
 * a slow interval, a remove's target seq; '' otherwise), a remove's expected target member ('' when the
 * instance found none), the tombstone json (no seq).
 * Replies like APPEND ('stored' with the member, and a remove's tombstone member), or {'forbidden'},
 * {'no-target'}.
 */
const ACTION = `
local id, now, cap, window = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local dkey, digest, body = ARGV[6], ARGV[7], ARGV[8]
local actor, act, target, value = ARGV[13], ARGV[14], ARGV[15], ARGV[16]
local s, reason = status(id, now)
if s ~= 'live' then return {s, reason} end
local seen = seen_before(id, dkey, digest)
if seen then return seen end
if not may_act(id, actor, act, target) then return {'forbidden'} end
if act == 'remove' then
  local found = redis.call('ZRANGEBYSCORE', k('msgs', id), value, value)
  if ARGV[17] == '' or found[1] ~= ARGV[17] then return {'no-target'} end
end
local head = redis.call('HMGET', k('room', id), 'lastSeq', 'lastChain', 'createdAt')
if head[1] ~= ARGV[10] or (head[2] or '') ~= ARGV[11] then return {'stale', head[1], head[2] or '', head[3]} end
local seq = tonumber(head[1]) + 1
local tomb = nil
-- Before storing the action, whose trim may then take the tombstone with it.
if act == 'remove' then
  redis.call('ZREM', k('msgs', id), ARGV[17])
  tomb = value .. ':' .. ARGV[18]
  redis.call('ZADD', k('msgs', id), value, tomb)
end
local member = store_entry(id, seq, ARGV[12], body, dkey, digest, ARGV[3], now, cap, window)
if act == 'promote' then
  redis.call('ZADD', k('mods', id), 'NX', n2s(seq), target)
elseif act == 'demote' then
  redis.call('ZREM', k('mods', id), target)
elseif act == 'ban' then
  local pin = redis.call('HGET', k('pins', id), target)
  local subject = ''
  if pin then subject = string.sub(pin, string.find(pin, '\\n', 1, true) + 1) end
  redis.call('HSET', k('bans', id), target, subject)
elseif act == 'unban' then
  redis.call('HDEL', k('bans', id), target)
elseif act == 'kick' then
  redis.call('HSET', k('kicks', id), target, value)
elseif act == 'lock' or act == 'unlock' then
  redis.call('HSET', k('room', id), 'locked', act == 'lock' and '1' or '0')
elseif act == 'slow' then
  redis.call('HSET', k('room', id), 'slowModeMs', value)
end
refresh_ttl(id, now, tonumber(ARGV[9]))
return {'stored', member, tomb}
`;

export const MODERATION_SCRIPTS = { action: PRELUDE + ACTION } as const;
