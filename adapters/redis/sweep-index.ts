/**
 * The keys that span rooms, kept so that no script needs two slots (see
 * ./keys.ts): the sweep indexes, one bucket per slot, and each creator's rooms.
 * They are hints written next to a room's own script and checked against it:
 * a room script decides whether a room is due or a connection dead, and only
 * then is the hint removed. An index write lost between the two commands (a
 * crash, a failover) costs an extra check, or a room left to its key TTL;
 * never a room deleted early or twice.
 *
 * Must never: decide anything about a room from an index alone.
 */
import type { ExpiredRoom, RoomGoneReason } from '../types.js';
import type { RedisClient } from './connection.js';
import type { IndexScriptName } from './index-scripts.js';
import { bucketOf, connsKey, dueKey, creatorRoomsKey, SWEEP_BUCKETS } from './keys.js';
import type { Reply, ScriptRunner } from './run.js';
import type { ScriptName } from './scripts.js';

/** How many index entries one sweep takes per bucket; the rest wait for the next sweep. */
const BATCH = 1000;

const buckets = Array.from({ length: SWEEP_BUCKETS }, (_, b) => b);
const connEntry = (roomId: string, connId: string): string => `${roomId}\n${connId}`;

export class SweepIndex {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #room: (name: ScriptName, args: (string | number)[]) => Promise<Reply>;
  readonly #index: ScriptRunner<IndexScriptName>;

  constructor(
    redis: RedisClient,
    prefix: string,
    room: (name: ScriptName, args: (string | number)[]) => Promise<Reply>,
    index: ScriptRunner<IndexScriptName>,
  ) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#room = room;
    this.#index = index;
  }

  /** Before the room exists, so that no room is ever missing from the index. */
  async roomCreating(roomId: string, firstCheck: number): Promise<void> {
    await this.#redis.zadd(dueKey(this.#prefix, bucketOf(roomId)), 'LT', firstCheck, roomId);
  }

  /**
   * Drops the creator's rooms that are no longer live at `now`, then counts the
   * rest and records the new room in one step in the creator's slot: of many
   * creates at the limit, one wins.
   */
  async reserve(
    creator: string,
    roomId: string,
    expiresAt: number,
    now: number,
    maxRooms: number | undefined,
  ): Promise<{ ok: true; added: boolean } | { ok: false; live: number }> {
    const key = creatorRoomsKey(this.#prefix, creator);
    if (maxRooms !== undefined) {
      const flat = await this.#redis.zrange(key, '0', '-1', 'WITHSCORES');
      const stale: string[] = [];
      await Promise.all(
        pairs(flat).map(async ([id, score]) => {
          // 'missing' is not stale: it may be a concurrent create that reserved its place and has
          // not yet run its room script. A create that died in between holds its place until expiresAt.
          if (Number(score) <= now || (await this.#room('lookup', [id, now]))[0] === 'gone') stale.push(id, score);
        }),
      );
      if (stale.length > 0) await this.#index.run('removeIf', key, stale);
    }
    const r = await this.#index.run('reserve', key, [roomId, expiresAt, now, maxRooms ?? '']);
    return r[0] === 'ok' ? { ok: true, added: r[1] === '1' } : { ok: false, live: Number(r[1]) };
  }

  async unreserve(creator: string, roomId: string): Promise<void> {
    await this.#redis.zrem(creatorRoomsKey(this.#prefix, creator), roomId);
  }

  /** Before the room script adds it, so that a connection is never missing from the index. */
  async connAdding(roomId: string, connId: string, expiry: number): Promise<void> {
    await this.#redis.zadd(connsKey(this.#prefix, bucketOf(roomId)), expiry, connEntry(roomId, connId));
  }

  /** After the room script extended them: an entry left behind only brings the sweep's check sooner. */
  async connsExtended(roomId: string, connIds: readonly string[], expiry: number): Promise<void> {
    if (connIds.length === 0) return;
    const args = connIds.flatMap((c) => [expiry, connEntry(roomId, c)]);
    await this.#redis.zadd(connsKey(this.#prefix, bucketOf(roomId)), ...args);
  }

  async connRemoved(roomId: string, connId: string): Promise<void> {
    await this.#redis.zrem(connsKey(this.#prefix, bucketOf(roomId)), connEntry(roomId, connId));
  }

  /** Every bucket's rooms that may be due at `now`, each checked and deleted by its room's script. */
  async expireRooms(now: number, tombstoneMs: number): Promise<ExpiredRoom[]> {
    const out: ExpiredRoom[] = [];
    await Promise.all(
      buckets.map(async (b) => {
        const key = dueKey(this.#prefix, b);
        const due = await this.#redis.zrangebyscore(key, '-inf', now, 'WITHSCORES', 'LIMIT', 0, BATCH);
        const settled: string[] = [];
        await Promise.all(
          pairs(due).map(async ([id, score]) => {
            const r = await this.#room('expireRoom', [id, now, tombstoneMs]);
            if (r[0] === 'later') {
              await this.#redis.zadd(key, 'XX', r[1]!, id);
              return;
            }
            settled.push(id, score);
            if (r[0] !== 'deleted') return;
            out.push({ roomId: id, reason: r[1] as RoomGoneReason });
            const conns = r.slice(3).map((c) => connEntry(id, c!));
            await Promise.all([
              conns.length > 0 ? this.#redis.zrem(connsKey(this.#prefix, b), ...conns) : undefined,
              r[2] ? this.unreserve(r[2], id) : undefined,
            ]);
          }),
        );
        if (settled.length > 0) await this.#index.run('removeIf', key, settled);
      }),
    );
    return out;
  }

  /** After a room script ended a room: its connections and its creator's place leave the indexes. */
  async roomEnded(roomId: string, creator: string, connIds: readonly string[]): Promise<void> {
    const conns = connIds.map((c) => connEntry(roomId, c));
    await Promise.all([
      conns.length > 0 ? this.#redis.zrem(connsKey(this.#prefix, bucketOf(roomId)), ...conns) : undefined,
      creator ? this.unreserve(creator, roomId) : undefined,
    ]);
    // Its 'due' entry stays until the sweep finds the room missing and settles it.
  }

  /**
   * Every room id the 'due' index holds after `after`, sorted: each room is in
   * it from before its creation until the sweep settles it, so this is every
   * room, plus some just deleted (their room script says so).
   */
  async roomIdsAfter(after: string): Promise<string[]> {
    const all = await Promise.all(buckets.map((b) => this.#redis.zrange(dueKey(this.#prefix, b), '0', '-1')));
    return all
      .flat()
      .filter((id) => id > after)
      .sort();
  }

  /** Every bucket's connections past their expiry, each removed by its room's script: the removals, flat. */
  async sweepPresence(now: number): Promise<Reply> {
    const out: Reply = [];
    await Promise.all(
      buckets.map(async (b) => {
        const key = connsKey(this.#prefix, b);
        const dead = await this.#redis.zrangebyscore(key, '-inf', now, 'WITHSCORES', 'LIMIT', 0, BATCH);
        const settled: string[] = [];
        await Promise.all(
          pairs(dead).map(async ([entry, score]) => {
            const sep = entry.indexOf('\n');
            const r = await this.#room('sweepConn', [entry.slice(0, sep), entry.slice(sep + 1), now]);
            if (r[0] === 'alive') {
              await this.#redis.zadd(key, 'XX', 'GT', r[1]!, entry);
              return;
            }
            settled.push(entry, score);
            if (r[0] === 'removed') out.push(...r.slice(1));
          }),
        );
        if (settled.length > 0) await this.#index.run('removeIf', key, settled);
      }),
    );
    return out;
  }
}

/** [member, score] pairs from a WITHSCORES reply. */
function pairs(flat: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
