/**
 * Every SQL statement the SQLite adapter runs, prepared once per database
 * (the multi-row inserts of ./appends.ts are made there, once per size),
 * and the row shapes they return (with the one row-to-message mapping). Statements only: the decisions they feed
 * are in adapters/rules.ts and the transactions in ./storage.ts.
 */
import type Database from 'better-sqlite3';
import type { ChatMessage, Entry, PublicKey } from '../../protocol/frames.js';
import type { ActionEntry, RemovedEntry } from '../../protocol/moderation.js';
import type { Room, RoomGoneReason } from '../types.js';

export interface RoomRow {
  id: string;
  created_at: number;
  expires_at: number;
  idle_timeout_ms: number;
  creator: string | null;
  owner_alg: PublicKey['alg'] | null;
  owner_pub: string | null;
  locked: number;
  slow_mode_ms: number;
  require_auth: number;
  last_active_at: number;
  last_seq: number;
  first_seq: number;
  /** The link of message last_seq, or the genesis link; NULL only before ./chain-backfill.ts ran. */
  last_chain: string | null;
  /** Every presence row of the room and every name among them, expired or not (kept by triggers, ./schema.ts). */
  connections: number;
  members: number;
}

export interface MessageRow {
  seq: number;
  id: string;
  name: string;
  ts: number;
  text: string;
  sig: string;
  key_alg: PublicKey['alg'];
  key_pub: string;
  at: number;
  chain: string;
  /** NULL for a message; 'action' or 'removed' (./schema.ts, step 7). */
  kind: 'action' | 'removed' | null;
  /** The action's JSON, or the remover's ({seq, name, key}). */
  detail: string | null;
}

export interface PresenceRow {
  conn_id: string;
  name: string;
  key_alg: PublicKey['alg'];
  key_pub: string;
  expires_at: number;
}

/** The room's owner key, or null. */
export const ownerOf = (row: RoomRow): PublicKey | null =>
  row.owner_alg !== null && row.owner_pub !== null ? { alg: row.owner_alg, pub: row.owner_pub } : null;

/**
 * A room row as the Storage interface gives it, with its live counts (storage.ts decides which counts are live)
 * and its moderators in promotion order.
 */
export function toRoom(
  row: RoomRow,
  counts: { connections: number; members: number },
  moderators: readonly PublicKey[],
): Room {
  const owner = ownerOf(row);
  return {
    id: row.id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    idleTimeoutMs: row.idle_timeout_ms,
    ...(row.creator !== null ? { creator: row.creator } : {}),
    ...(owner ? { ownerKey: owner } : {}),
    requireAuth: row.require_auth === 1,
    staff: { owner, moderators, locked: row.locked === 1, slowModeMs: row.slow_mode_ms },
    lastActiveAt: row.last_active_at,
    // Rows below it may wait for the next run of deletions (./appends.ts).
    firstSeq: row.first_seq,
    lastSeq: row.last_seq,
    connections: counts.connections,
    memberCount: counts.members,
  };
}

/** A row as its entry: a message, an action, or a tombstone (./moderation.ts writes the last two). */
export function toEntry(r: MessageRow): Entry {
  if (r.kind === null) return toMessage(r);
  const { seq, id, name, ts, sig, at, chain } = r;
  const key = { alg: r.key_alg, pub: r.key_pub };
  const detail: unknown = JSON.parse(r.detail ?? 'null');
  if (r.kind === 'action') {
    return { kind: 'action', seq, id, name, key, ts, action: detail as ActionEntry['action'], sig, at, chain };
  }
  return { kind: 'removed', seq, id, name, key, ts, sig, at, chain, removedBy: detail as RemovedEntry['removedBy'] };
}

export const toMessage = (r: MessageRow): ChatMessage => ({
  seq: r.seq,
  id: r.id,
  name: r.name,
  ts: r.ts,
  text: r.text,
  sig: r.sig,
  key: { alg: r.key_alg, pub: r.key_pub },
  at: r.at,
  chain: r.chain,
});

/** better-sqlite3's statement type under a name the declaration files can use. */
type Stmt<P extends unknown[] | object = unknown[], R = unknown> = Database.Statement<P, R>;

export interface Statements {
  readonly room: Stmt<[string], RoomRow>;
  readonly tombstone: Stmt<[string], { reason: RoomGoneReason }>;
  readonly insertRoom: Stmt;
  readonly ownedRooms: Stmt<[string], RoomRow>;
  readonly touch: Stmt<[number, string]>;
  readonly pinByKey: Stmt<[string, string], { name: string; subject: string | null }>;
  readonly skeletonTaken: Stmt<[string, string], { one: number }>;
  readonly insertPin: Stmt<[string, string, string, string, string | null]>;
  readonly presence: Stmt<[string, string], PresenceRow>;
  readonly upsertPresence: Stmt<[string, string, string, string, string, number]>;
  readonly refreshPresence: Stmt<[number, string, string, number]>;
  readonly deletePresence: Stmt<[string, string]>;
  readonly deadPresence: Stmt<[number], PresenceRow & { room_id: string }>;
  readonly nameLive: Stmt<[string, string, number], { one: number }>;
  readonly counts: Stmt<[string, number], { connections: number; members: number }>;
  readonly keptCounts: Stmt<[string], { connections: number; members: number }>;
  readonly anyExpired: Stmt<[string, number], { one: number }>;
  readonly liveMembers: Stmt<[string, number], PresenceRow>;
  readonly firstSeq: Stmt<[string], { seq: number | null }>;
  readonly dedupeRows: Stmt<[string], { seq: number; name: string; id: string; digest: string; stored_at: number }>;
  readonly messageBySeq: Stmt<[string, number], MessageRow>;
  readonly bumpSeq: Stmt<[number, number, string, number, string]>;
  readonly trim: Stmt<[string, number]>;
  readonly deleteDedupe: Stmt<[string, number]>;
  readonly after: Stmt<[string, number, number], MessageRow>;
  readonly before: Stmt<[string, number, number, number], MessageRow>;
  readonly pastDeadline: Stmt<[number, number], RoomRow>;
  readonly roomsAfter: Stmt<[string, number], RoomRow>;
  readonly deleteRoom: Stmt<[string]>;
  readonly insertTombstone: Stmt<[string, string, number]>;
  readonly pruneTombstones: Stmt<[number]>;
  readonly dataVersion: Stmt<[], { data_version: number }>;
}

export function prepareStatements(db: Database.Database): Statements {
  return {
    room: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE id = ?'),
    tombstone: db.prepare<[string], { reason: RoomGoneReason }>('SELECT reason FROM tombstones WHERE id = ?'),
    insertRoom: db.prepare(
      `INSERT INTO rooms (id, created_at, expires_at, idle_timeout_ms, creator, owner_alg, owner_pub, require_auth,
         last_active_at, last_seq, last_chain)
       VALUES (@id, @createdAt, @expiresAt, @idleTimeoutMs, @creator, @ownerAlg, @ownerPub, @requireAuth, @createdAt,
         0, @genesis)`,
    ),
    ownedRooms: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE creator = ?'),
    touch: db.prepare<[number, string]>('UPDATE rooms SET last_active_at = max(last_active_at, ?) WHERE id = ?'),
    pinByKey: db.prepare<[string, string], { name: string; subject: string | null }>(
      'SELECT name, subject FROM pins WHERE room_id = ? AND key_id = ?',
    ),
    skeletonTaken: db.prepare<[string, string], { one: number }>(
      'SELECT 1 AS one FROM pins WHERE room_id = ? AND skeleton = ?',
    ),
    insertPin: db.prepare<[string, string, string, string, string | null]>(
      'INSERT INTO pins (room_id, key_id, name, skeleton, subject) VALUES (?, ?, ?, ?, ?)',
    ),
    presence: db.prepare<[string, string], PresenceRow>('SELECT * FROM presence WHERE room_id = ? AND conn_id = ?'),
    upsertPresence: db.prepare<[string, string, string, string, string, number]>(
      `INSERT INTO presence (room_id, conn_id, name, key_alg, key_pub, expires_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (room_id, conn_id) DO UPDATE SET
         name = excluded.name, key_alg = excluded.key_alg, key_pub = excluded.key_pub, expires_at = excluded.expires_at`,
    ),
    refreshPresence: db.prepare<[number, string, string, number]>(
      'UPDATE presence SET expires_at = ? WHERE room_id = ? AND conn_id = ? AND expires_at > ?',
    ),
    deletePresence: db.prepare<[string, string]>('DELETE FROM presence WHERE room_id = ? AND conn_id = ?'),
    deadPresence: db.prepare<[number], PresenceRow & { room_id: string }>(
      'SELECT * FROM presence WHERE expires_at <= ? ORDER BY room_id, expires_at',
    ),
    nameLive: db.prepare<[string, string, number], { one: number }>(
      'SELECT 1 AS one FROM presence WHERE room_id = ? AND name = ? AND expires_at > ? LIMIT 1',
    ),
    counts: db.prepare<[string, number], { connections: number; members: number }>(
      `SELECT count(*) AS connections, count(DISTINCT name) AS members
       FROM presence WHERE room_id = ? AND expires_at > ?`,
    ),
    keptCounts: db.prepare<[string], { connections: number; members: number }>(
      'SELECT connections, members FROM rooms WHERE id = ?',
    ),
    anyExpired: db.prepare<[string, number], { one: number }>(
      'SELECT 1 AS one FROM presence WHERE room_id = ? AND expires_at <= ? LIMIT 1',
    ),
    liveMembers: db.prepare<[string, number], PresenceRow>(
      'SELECT * FROM presence WHERE room_id = ? AND expires_at > ? ORDER BY conn_id',
    ),
    firstSeq: db.prepare<[string], { seq: number | null }>('SELECT min(seq) AS seq FROM messages WHERE room_id = ?'),
    dedupeRows: db.prepare<[string], { seq: number; name: string; id: string; digest: string; stored_at: number }>(
      'SELECT seq, name, id, digest, stored_at FROM dedupe WHERE room_id = ? ORDER BY seq',
    ),
    messageBySeq: db.prepare<[string, number], MessageRow>('SELECT * FROM messages WHERE room_id = ? AND seq = ?'),
    bumpSeq: db.prepare<[number, number, string, number, string]>(
      'UPDATE rooms SET last_seq = ?, first_seq = ?, last_chain = ?, last_active_at = max(last_active_at, ?) WHERE id = ?',
    ),
    trim: db.prepare<[string, number]>('DELETE FROM messages WHERE room_id = ? AND seq <= ?'),
    deleteDedupe: db.prepare<[string, number]>('DELETE FROM dedupe WHERE room_id = ? AND seq <= ?'),
    after: db.prepare<[string, number, number], MessageRow>(
      'SELECT * FROM messages WHERE room_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    before: db.prepare<[string, number, number, number], MessageRow>(
      'SELECT * FROM messages WHERE room_id = ? AND seq < ? AND seq >= ? ORDER BY seq DESC LIMIT ?',
    ),
    // Candidates only: rules.roomDeadline decides, asking about live presence for the idle ones.
    pastDeadline: db.prepare<[number, number], RoomRow>(
      'SELECT * FROM rooms WHERE expires_at <= ? OR last_active_at + idle_timeout_ms <= ?',
    ),
    // Read in chunks until a page is full: rooms past a deadline are skipped by the caller.
    roomsAfter: db.prepare<[string, number], RoomRow>('SELECT * FROM rooms WHERE id > ? ORDER BY id LIMIT ?'),
    deleteRoom: db.prepare<[string]>('DELETE FROM rooms WHERE id = ?'),
    insertTombstone: db.prepare<[string, string, number]>(
      'INSERT OR REPLACE INTO tombstones (id, reason, at) VALUES (?, ?, ?)',
    ),
    pruneTombstones: db.prepare<[number]>('DELETE FROM tombstones WHERE at <= ?'),
    dataVersion: db.prepare<[], { data_version: number }>('PRAGMA data_version'),
  };
}
