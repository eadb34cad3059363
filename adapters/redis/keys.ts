/**
 * Every Redis key and channel name the adapter uses, built here and nowhere
 * else: the TypeScript side's names, and the Lua function `k` that the
 * scripts call (the prelude includes it).
 *
 * Each room's keys and its event channel carry the room id as a Redis Cluster
 * hash tag, `{roomId}`, so one room's script touches one slot and its channel
 * lives on the shard that holds its data. Room ids are [A-Za-z0-9_-] (see
 * protocol/frames.ts), so they never hold a brace of their own.
 *
 * Must never: build a key from a prefix by hand in any other module.
 */

/** The sharded pub/sub channel (SPUBLISH/SSUBSCRIBE) of one room's events. */
export function roomChannel(prefix: string, roomId: string): string {
  return `${prefix}:events:{${roomId}}`;
}

/** Every key of one room matches this glob (for tests and tools that inspect a room). */
export function roomKeyPattern(prefix: string, roomId: string): string {
  return `${prefix}:*:{${roomId}}`;
}

/**
 * The Lua side: `k(kind, id)` is the key of one room's `kind` (`P` is the
 * prefix, ARGV[1] of every script).
 */
export const LUA_KEYS = `
local function k(kind, id) return P .. ':' .. kind .. ':{' .. id .. '}' end
`;
