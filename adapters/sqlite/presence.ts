/**
 * The SQLite adapter's presence: live connections per room with a ttl, and
 * the connection and member counts the triggers of ./schema.ts (step 5) keep.
 * Small writes go through the turn's write batch (./write-batch.ts); the sweep
 * is one transaction of its own.
 */
import type { PublicKey } from '../../protocol/frames.js';
import { membersByName } from '../rules.js';
import type { NotLive, PresenceEntry, PresenceRemoval, PresenceResult } from '../types.js';
import type { PresenceRow, RoomRow, Statements } from './statements.js';
import type { WriteBatch } from './write-batch.js';

export class SqlitePresence {
  readonly #q: Statements;
  readonly #small: WriteBatch;
  readonly #write: <T>(fn: () => T) => T;
  readonly #live: (roomId: string, now: number) => { row: RoomRow } | NotLive;

  constructor(
    q: Statements,
    small: WriteBatch,
    write: <T>(fn: () => T) => T,
    live: (roomId: string, now: number) => { row: RoomRow } | NotLive,
  ) {
    this.#q = q;
    this.#small = small;
    this.#write = write;
    this.#live = live;
  }

  async addPresence(roomId: string, entry: PresenceEntry, now: number, ttlMs: number): Promise<PresenceResult> {
    return this.#small.run((): PresenceResult => {
      const found = this.#live(roomId, now);
      if (!('row' in found)) return found;
      const existing = this.#q.presence.get(roomId, entry.connId);
      const first = !existing && !this.#q.nameLive.get(roomId, entry.name, now);
      this.#q.upsertPresence.run(roomId, entry.connId, entry.name, entry.key.alg, entry.key.pub, now + ttlMs);
      this.#q.touch.run(now, roomId);
      return { status: 'ok', first, memberCount: this.counts(roomId, now).members };
    });
  }

  async refreshPresence(roomId: string, connIds: readonly string[], now: number, ttlMs: number): Promise<string[]> {
    return this.#small.run(() => {
      if (!('row' in this.#live(roomId, now))) return [...connIds];
      return connIds.filter((id) => this.#q.refreshPresence.run(now + ttlMs, roomId, id, now).changes === 0);
    });
  }

  async removePresence(roomId: string, connId: string, now: number): Promise<PresenceRemoval | undefined> {
    return this.#small.run(() => {
      const p = this.#q.presence.get(roomId, connId);
      if (!p) return undefined;
      this.#q.deletePresence.run(roomId, connId);
      // The idle clock starts when the last member leaves, not at their last message.
      this.#q.touch.run(now, roomId);
      return this.#removal(roomId, p, now);
    });
  }

  async sweepPresence(now: number): Promise<PresenceRemoval[]> {
    return this.#write(() =>
      this.#q.deadPresence.all(now).map((p) => {
        this.#q.deletePresence.run(p.room_id, p.conn_id);
        // A dead instance's connection was last known alive at its expiry.
        this.#q.touch.run(p.expires_at, p.room_id);
        return this.#removal(p.room_id, p, now);
      }),
    );
  }

  async listMembers(roomId: string, now: number): Promise<{ name: string; key: PublicKey }[]> {
    return membersByName(
      this.#q.liveMembers.all(roomId, now).map((p) => ({ name: p.name, key: { alg: p.key_alg, pub: p.key_pub } })),
    );
  }

  /**
   * Live connections and names: the counts the triggers keep while no row of
   * the room is past its ttl (the usual case, O(log n)); counted row by row
   * while some wait for the sweep, which only a dead process leaves.
   */
  counts(roomId: string, now: number): { connections: number; members: number } {
    if (this.#q.anyExpired.get(roomId, now)) return this.#q.counts.get(roomId, now)!;
    return this.#q.keptCounts.get(roomId)!;
  }

  #removal(roomId: string, p: PresenceRow, now: number): PresenceRemoval {
    return {
      roomId,
      name: p.name,
      key: { alg: p.key_alg, pub: p.key_pub },
      last: !this.#q.nameLive.get(roomId, p.name, now),
      memberCount: this.counts(roomId, now).members,
    };
  }
}
