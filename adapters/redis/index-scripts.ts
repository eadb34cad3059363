/**
 * The scripts on keys that span rooms, each on one key (one slot): a bucket
 * of a sweep index, or a creator's rooms. They never read a room's keys: the
 * room scripts (./scripts.ts) decide, and these only keep the indexes, which
 * are hints that a room script checks (see ./keys.ts).
 */

/**
 * KEYS: the creator's rooms. ARGV: roomId, expiresAt, now, maxRooms ('' = no quota).
 * Counts the rooms whose hard deadline is after now (the caller removed those
 * found gone), then records the new one: {'ok', added} or {'quota-exceeded', live}.
 */
const RESERVE = `
local live = redis.call('ZCOUNT', KEYS[1], '(' .. ARGV[3], '+inf')
if ARGV[4] ~= '' and live >= tonumber(ARGV[4]) then return {'quota-exceeded', tostring(live)} end
return {'ok', tostring(redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1]))}
`;

/**
 * KEYS: one index zset. ARGV: member, score pairs. Removes each member only
 * while it still has the score the caller read, so an entry a concurrent
 * write just renewed stays.
 */
const REMOVE_IF = `
local n = 0
for i = 1, #ARGV, 2 do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) == ARGV[i + 1] then n = n + redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return n
`;

export const INDEX_SCRIPTS = { reserve: RESERVE, removeIf: REMOVE_IF } as const;

export type IndexScriptName = keyof typeof INDEX_SCRIPTS;
