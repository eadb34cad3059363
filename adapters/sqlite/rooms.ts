/**
 * The SQLite adapter's rooms: whether one is live, what a reader sees of it,
 * and its beginning and end (created under a quota, expired, ended by an
 * operator). The appends and presence ask `live` inside their own
 * transactions; the writes here each run in one of their own.
 *
 * Must never decide a deadline itself (adapters/rules.ts roomDeadline does).
 */
import { genesisLink, notLive, roomDeadline } from '../rules.js';
import type {
  CreateRoomResult,
  EndRoomResult,
  ExpiredRoom,
  NewRoom,
  NotLive,
  Quota,
  Room,
  RoomGoneReason,
  RoomList,
  RoomListQuery,
} from '../types.js';
import type { Moderation } from './moderation.js';
import type { SqlitePresence } from './presence.js';
import { toRoom, type RoomRow, type Statements } from './statements.js';

export interface RoomsDeps {
  readonly q: Statements;
  readonly mod: Moderation;
  /** The presence counts, read when a room may be idle and for a reader's view. */
  readonly presence: () => SqlitePresence;
  /** Runs fn as one IMMEDIATE transaction. */
  readonly write: <T>(fn: () => T) => T;
  /** A room this instance caches appends for was deleted, or made anew under an old id. */
  readonly forget: (roomId: string) => void;
  /** How long a deleted room's id is remembered as 'gone' rather than 'missing'. */
  readonly tombstoneMs: number;
}

export class SqliteRooms {
  readonly #d: RoomsDeps;

  constructor(deps: RoomsDeps) {
    this.#d = deps;
  }

  /** The room's row if it is live at `now`; `known` is its row as read earlier in the same transaction. */
  live(roomId: string, now: number, known?: RoomRow): { row: RoomRow } | NotLive {
    const { q } = this.#d;
    const row = known ?? q.room.get(roomId);
    const tombstone = row ? undefined : q.tombstone.get(roomId)?.reason;
    return notLive(row && { deadline: this.#deadline(row, now) }, tombstone) ?? { row: row! };
  }

  /** What a reader sees of a room: its row with its counts and moderators. */
  view(row: RoomRow, now: number): Room {
    return toRoom(row, this.#d.presence().counts(row.id, now), this.#d.mod.moderators(row.id));
  }

  create(room: NewRoom, quota: Quota | undefined): CreateRoomResult {
    const { q, write, forget } = this.#d;
    return write(() => {
      if (q.room.get(room.id) || q.tombstone.get(room.id)) return { status: 'exists' } as const;
      forget(room.id);
      if (quota) {
        const live = q.ownedRooms.all(quota.creator).filter((r) => this.#deadline(r, room.createdAt) === undefined);
        if (live.length >= quota.maxRooms) return { status: 'quota-exceeded', live: live.length } as const;
      }
      q.insertRoom.run({
        id: room.id,
        createdAt: room.createdAt,
        expiresAt: room.expiresAt,
        idleTimeoutMs: room.idleTimeoutMs,
        creator: room.creator ?? null,
        ownerAlg: room.ownerKey?.alg ?? null,
        ownerPub: room.ownerKey?.pub ?? null,
        requireAuth: room.requireAuth ? 1 : 0,
        genesis: genesisLink(room.id, room.createdAt),
      });
      return { status: 'created', room: this.view(q.room.get(room.id)!, room.createdAt) } as const;
    });
  }

  expire(now: number): ExpiredRoom[] {
    const { q, write, tombstoneMs } = this.#d;
    return write(() => {
      const out: ExpiredRoom[] = [];
      for (const r of q.pastDeadline.all(now, now)) {
        const reason = this.#deadline(r, now);
        if (!reason) continue;
        this.#delete(r.id, reason, now);
        out.push({ roomId: r.id, reason });
      }
      q.pruneTombstones.run(now - tombstoneMs);
      return out;
    });
  }

  end(roomId: string, now: number): EndRoomResult {
    return this.#d.write(() => {
      const found = this.live(roomId, now);
      if (!('row' in found)) return found;
      this.#delete(roomId, 'ended', now);
      return { status: 'ended' } as const;
    });
  }

  list(query: RoomListQuery, now: number): RoomList {
    const rooms: Room[] = [];
    // Room ids are base64url, so '' sorts before every one of them.
    let after = query.after ?? '';
    for (;;) {
      const rows = this.#d.q.roomsAfter.all(after, query.limit + 1);
      for (const row of rows) {
        if (this.#deadline(row, now) !== undefined) continue;
        if (rooms.length === query.limit) return { rooms, next: rooms[rooms.length - 1]!.id };
        rooms.push(this.view(row, now));
      }
      if (rows.length <= query.limit) return { rooms };
      after = rows[rows.length - 1]!.id;
    }
  }

  /** Messages, pins, presence and dedupe rows go with the room (ON DELETE CASCADE); its id stays a tombstone. */
  #delete(roomId: string, reason: RoomGoneReason | 'ended', now: number): void {
    const { q, forget } = this.#d;
    q.deleteRoom.run(roomId);
    forget(roomId);
    q.insertTombstone.run(roomId, reason, now);
  }

  #deadline(row: RoomRow, now: number): RoomGoneReason | undefined {
    const clocks = { expiresAt: row.expires_at, lastActiveAt: row.last_active_at, idleTimeoutMs: row.idle_timeout_ms };
    return roomDeadline(clocks, now, () => this.#d.presence().counts(row.id, now).connections > 0);
  }
}
