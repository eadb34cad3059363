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
 * Keys that span rooms never share a script with a room's keys:
 * - the sweep indexes are split into SWEEP_BUCKETS buckets by a hash of the
 *   room id, each bucket one slot (`{sweep:N}`, which no room id can equal):
 *   `due` (zset room -> time to check it next) and `conns` (zset
 *   "room\nconnId" -> presence expiry). Every instance scans every bucket.
 * - a creator's rooms, for the quota, are one zset tagged by the creator,
 *   `owner:{issuer sub}` (room -> its hard deadline; named before rooms had
 *   owner keys, and kept so that existing data stays valid).
 *
 * Must never: build a key from a prefix by hand in any other module.
 */

/** The sharded pub/sub channel (SPUBLISH/SSUBSCRIBE) of one room's events. */
export function roomChannel(prefix: string, roomId: string): string {
  return `${prefix}:events:{${roomId}}`;
}

/** How many buckets each sweep index is split into. Every instance on one prefix must agree: never change it. */
export const SWEEP_BUCKETS = 16;

/** The bucket of a room: FNV-1a of its id, so every instance puts a room in the same one. */
export function bucketOf(roomId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < roomId.length; i++) {
    h ^= roomId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % SWEEP_BUCKETS;
}

/** A room's main hash: the key a room's script is routed by (KEYS[1]). */
export function roomKey(prefix: string, roomId: string): string {
  return `${prefix}:room:{${roomId}}`;
}

/** A room's history (zset seq -> "seq:json"), read directly to find a remove's target before its script runs. */
export function historyKey(prefix: string, roomId: string): string {
  return `${prefix}:msgs:{${roomId}}`;
}

/** When to look at a room next (its deadlines, at the latest); one bucket's share. */
export function dueKey(prefix: string, bucket: number): string {
  return `${prefix}:due:{sweep:${bucket}}`;
}

/** Presence entries by expiry, "roomId\nconnId"; one bucket's share, in the same slot as its `due`. */
export function connsKey(prefix: string, bucket: number): string {
  return `${prefix}:conns:{sweep:${bucket}}`;
}

/** The live rooms a creator (NewRoom.creator) made (room id -> hard deadline), for the quota. */
export function creatorRoomsKey(prefix: string, creator: string): string {
  return `${prefix}:owner:{${creator}}`;
}

/** The server's signing key, one for every instance on this prefix (a JSON ServerKeyRecord). */
export function serverKeyKey(prefix: string): string {
  return `${prefix}:server-key`;
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
