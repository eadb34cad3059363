/**
 * The moderation rules in Lua, for the scripts that must decide inside Redis
 * (adapters/moderation-rules.ts states them for the other backends; the
 * contract suite keeps the two in step): who may act, what a bind meets
 * before names, and the staff a room view reports.
 *
 * Keys per room R (the `{R}` tag of ./keys.ts, so one slot): room:{R} fields
 * ownerAlg, ownerPub, locked ('1'), slowModeMs; mods:{R} (zset key id ->
 * seq of its promote, which orders them); bans:{R} (hash key id -> the
 * subject banned with it, '' for none); kicks:{R} (hash key id -> until).
 * A key id is "alg:pub" (adapters/rules.ts keyId).
 */
export const LUA_STAFF = `
local function owner_id(id)
  local r = redis.call('HMGET', k('room', id), 'ownerAlg', 'ownerPub')
  if not r[1] or not r[2] then return false end
  return r[1] .. ':' .. r[2]
end

local function is_mod(id, keyId)
  return redis.call('ZSCORE', k('mods', id), keyId) ~= false
end

-- The owner may do anything but act on itself; a moderator all but the
-- owner's acts, and never on the owner or another moderator; nobody else.
local function may_act(id, actor, act, target)
  local owner = owner_id(id)
  if not owner then return false end
  if actor == owner then return target ~= owner end
  if not is_mod(id, actor) then return false end
  if act == 'promote' or act == 'demote' or act == 'end' then return false end
  if target ~= '' and (target == owner or is_mod(id, target)) then return false end
  return true
end

-- A ban of the key or of the subject, then a running kick, then a lock for a
-- key that holds no name: the refusal as a reply, or false.
local function bind_refusal(id, keyId, subject, pinned, now)
  if redis.call('HEXISTS', k('bans', id), keyId) == 1 then return {'banned'} end
  if subject ~= '' then
    for _, s in ipairs(redis.call('HVALS', k('bans', id))) do
      if s == subject then return {'banned'} end
    end
  end
  local till = redis.call('HGET', k('kicks', id), keyId)
  if till and tonumber(till) > now then return {'kicked', till} end
  if not pinned and redis.call('HGET', k('room', id), 'locked') == '1' then return {'locked'} end
  return false
end

-- ownerAlg, ownerPub ('' for none), locked, slowModeMs, then the moderators' key ids in promotion order.
local function staff_view(id)
  local r = redis.call('HMGET', k('room', id), 'ownerAlg', 'ownerPub', 'locked', 'slowModeMs')
  local out = {r[1] or '', r[2] or '', r[3] or '0', r[4] or '0'}
  for _, m in ipairs(redis.call('ZRANGE', k('mods', id), 0, -1)) do out[#out + 1] = m end
  return out
end
`;
