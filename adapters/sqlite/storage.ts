/**
 * SQLite storage (better-sqlite3): the embedded default. One file, WAL mode,
 * survives restarts and process crashes. One server process per file: events
 * travel in-process only, so scale-out needs the Redis adapter.
 *
 * better-sqlite3 is synchronous, so each method runs start to end without
 * yielding; every multi-statement write is also one IMMEDIATE transaction, so
 * it is atomic even against another process holding the same file (an
 * operator's CLI, a second instance started by mistake).
 */
import type Database from 'better-sqlite3';
import type { PublicKey } from '../../protocol/frames.js';
import { decideBind, keyId } from '../rules.js';
import { Appends, type Append } from './appends.js';
import type { Checkpointer } from './checkpointer.js';
import { openDatabase, type SqliteSynchronous } from './open.js';
import { GroupCommit } from './group-commit.js';
import { keepServerKeyFile } from './server-key.js';
import { WriteBatch } from './write-batch.js';
import { Moderation } from './moderation.js';
import { SqlitePresence } from './presence.js';
import { SqliteRooms } from './rooms.js';
import { prepareStatements, toEntry, type Statements } from './statements.js';
import type {
  ActionResult,
  AppendOptions,
  AppendResult,
  BindRequest,
  BindResult,
  CreateRoomResult,
  EndRoomResult,
  ExpiredRoom,
  MessagePage,
  NewAction,
  NewMessage,
  NewRoom,
  NotLive,
  PresenceEntry,
  PresenceRemoval,
  PresenceResult,
  Quota,
  ReadQuery,
  RoomList,
  RoomListQuery,
  RoomLookup,
  ServerKeyRecord,
  Storage,
} from '../types.js';

export type { SqliteSynchronous };

export interface SqliteStorageOptions {
  /** Database file; its folder is created. ':memory:' for a throwaway database. */
  path: string;
  /**
   * PRAGMA synchronous. 'normal' (default) keeps every committed write
   * through a process crash; 'full' also through power loss, at one fsync per
   * message. See docs/deployment.md.
   */
  synchronous?: SqliteSynchronous;
  /** How long a deleted room's id is remembered as 'gone' rather than 'missing'. Default 24 h. */
  tombstoneMs?: number;
}

export class SqliteStorage implements Storage {
  readonly #db: Database.Database;
  /** One server process per file (see the header): its events need only the local bus. */
  readonly shared = false;
  readonly #q: Statements;
  /** Runs its argument in a transaction; made once, as better-sqlite3 wraps a function per transaction(). */
  readonly #tx: Database.Transaction<(fn: () => unknown) => unknown>;
  readonly #log: Appends;
  readonly #mod: Moderation;
  readonly #rooms: SqliteRooms;
  readonly #presence: SqlitePresence;
  #checkpointer: Checkpointer | undefined;
  readonly #path: string;
  #memoryKey: ServerKeyRecord | undefined;
  /** PRAGMA data_version after our last look: another connection's commit changes it, ours never do. */
  #dataVersion = 0;
  /** Every message and action that arrives in one event-loop turn is stored in one transaction. */
  readonly #appends = new GroupCommit<Append, AppendResult | ActionResult>((batch) => this.#appendBatch(batch));
  /** Name pins and presence changes of one turn: one transaction, a savepoint each (./write-batch.ts). */
  readonly #small = new WriteBatch(
    (fn) => this.#write(fn),
    (fn) => this.#tx(fn),
  );

  constructor(options: SqliteStorageOptions) {
    const { db, checkpointer } = openDatabase(options.path, options.synchronous);
    this.#db = db;
    this.#checkpointer = checkpointer;
    this.#path = options.path;
    this.#q = prepareStatements(this.#db);
    this.#tx = this.#db.transaction((fn: () => unknown) => fn());
    this.#mod = new Moderation(this.#db);
    this.#rooms = new SqliteRooms({
      q: this.#q,
      mod: this.#mod,
      presence: () => this.#presence,
      write: (fn) => this.#write(fn),
      forget: (roomId) => this.#log.forget(roomId),
      tombstoneMs: options.tombstoneMs ?? 24 * 3600_000,
    });
    this.#presence = new SqlitePresence(
      this.#q,
      this.#small,
      (fn) => this.#write(fn),
      (id, now) => this.#rooms.live(id, now),
    );
    this.#log = new Appends(this.#db, this.#q, this.#mod, (roomId, now, known) => this.#rooms.live(roomId, now, known));
  }

  async createRoom(room: NewRoom, quota?: Quota): Promise<CreateRoomResult> {
    return this.#rooms.create(room, quota);
  }

  async getRoom(roomId: string, now: number): Promise<RoomLookup> {
    const found = this.#rooms.live(roomId, now);
    return 'row' in found ? { status: 'live', room: this.#rooms.view(found.row, now) } : found;
  }

  async bindName(roomId: string, req: BindRequest, now: number): Promise<BindResult> {
    return this.#small.run((): BindResult => {
      const found = this.#rooms.live(roomId, now);
      if (!('row' in found)) return found;
      const id = keyId(req.key);
      const pin = this.#q.pinByKey.get(roomId, id);
      const refused = this.#mod.refuse(found.row, req.key, req.subject, pin !== undefined, now);
      if (refused) return refused;
      const decision = decideBind(req, pin, (skeleton) => this.#q.skeletonTaken.get(roomId, skeleton) !== undefined);
      if (decision.status !== 'pin') return decision;
      this.#q.insertPin.run(roomId, id, decision.name, decision.skeleton, req.subject ?? null);
      return { status: 'bound', name: decision.name, existing: false };
    });
  }

  addPresence(roomId: string, entry: PresenceEntry, now: number, ttlMs: number): Promise<PresenceResult> {
    return this.#presence.addPresence(roomId, entry, now, ttlMs);
  }

  refreshPresence(roomId: string, connIds: readonly string[], now: number, ttlMs: number): Promise<string[]> {
    return this.#presence.refreshPresence(roomId, connIds, now, ttlMs);
  }

  removePresence(roomId: string, connId: string, now: number): Promise<PresenceRemoval | undefined> {
    return this.#presence.removePresence(roomId, connId, now);
  }

  sweepPresence(now: number): Promise<PresenceRemoval[]> {
    return this.#presence.sweepPresence(now);
  }

  listMembers(roomId: string, now: number): Promise<{ name: string; key: PublicKey }[]> {
    return this.#presence.listMembers(roomId, now);
  }

  /** Each append is atomic and numbered in call order, committed with its turn's others (./group-commit.ts). */
  appendMessage(roomId: string, m: NewMessage, opts: AppendOptions): Promise<AppendResult> {
    // A message's item gets a message's result (./appends.ts run).
    return this.#appends.submit({ roomId, m, opts }) as Promise<AppendResult>;
  }

  /** In the same group commit as messages, so an action is numbered in call order with them. */
  appendAction(roomId: string, a: NewAction, opts: AppendOptions): Promise<ActionResult> {
    return this.#appends.submit({ roomId, a, opts }) as Promise<ActionResult>;
  }

  #appendBatch(batch: Append[]): (AppendResult | ActionResult)[] {
    let results: (AppendResult | ActionResult)[];
    try {
      results = this.#write(() => {
        // Read inside the write lock: nobody can commit between this check and our commit.
        const version = this.#q.dataVersion.get()!.data_version;
        if (version !== this.#dataVersion) {
          this.#log.forgetAll();
          this.#dataVersion = version;
        }
        return this.#log.run(batch);
      });
    } catch (err) {
      // Rolled back: what the batch taught the room logs is not in the file.
      this.#log.forgetAll();
      throw err;
    }
    // The WAL still holds the pages as they were before a remove erased a text: copy the erased pages into the
    // file and empty the WAL now (removes are rare), rather than leave the text there until the WAL restarts.
    // Committed either way: a reader in the way only leaves it to the checkpointer thread's next pass.
    if (results.some((r) => 'removed' in r && r.removed)) {
      try {
        this.#db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        /* busy: the checkpointer thread copies them */
      }
    }
    return results;
  }

  async readMessages(roomId: string, q: ReadQuery, now: number): Promise<MessagePage | NotLive> {
    const found = this.#rooms.live(roomId, now);
    if (!('row' in found)) return found;
    const rows =
      q.after !== undefined
        ? this.#q.after.all(roomId, Math.max(q.after, found.row.first_seq - 1), q.limit)
        : this.#q.before.all(roomId, q.before ?? Number.MAX_SAFE_INTEGER, found.row.first_seq, q.limit).reverse();
    return {
      messages: rows.map(toEntry),
      // Rows below it may wait for the next run of deletions (./appends.ts).
      firstSeq: found.row.first_seq,
      lastSeq: found.row.last_seq,
    };
  }

  async expireRooms(now: number): Promise<ExpiredRoom[]> {
    return this.#rooms.expire(now);
  }

  async endRoom(roomId: string, now: number): Promise<EndRoomResult> {
    return this.#rooms.end(roomId, now);
  }

  async listRooms(q: RoomListQuery, now: number): Promise<RoomList> {
    return this.#rooms.list(q, now);
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async serverKey(candidate: ServerKeyRecord): Promise<ServerKeyRecord> {
    // An in-memory database has no file beside it: its key lives as long as it does.
    if (this.#path === ':memory:') return (this.#memoryKey ??= candidate);
    return keepServerKeyFile(this.#path, candidate);
  }

  async close(): Promise<void> {
    this.#appends.flush();
    this.#small.flush();
    await this.#checkpointer?.close();
    this.#checkpointer = undefined;
    if (this.#db.open) this.#db.close();
  }

  /** Runs fn as one IMMEDIATE transaction: it takes the write lock before reading. */
  #write<T>(fn: () => T): T {
    return this.#tx.immediate(fn) as T;
  }
}

export async function createSqliteStorage(options: SqliteStorageOptions): Promise<Storage> {
  const storage = new SqliteStorage(options);
  // One process owns the file, so presence found at open is its previous life's (a crash, a kill):
  // nobody listed there is connected now.
  await storage.sweepPresence(Number.MAX_SAFE_INTEGER);
  return storage;
}
