/**
 * The SQLite adapter's appends, one group commit at a time (./group-commit.ts
 * gathers a turn's calls; ./storage.ts runs this inside one IMMEDIATE
 * transaction). What makes an append cost the same at the end of a long room
 * as at its start, and write little more than its own bytes:
 *
 * - each room's last seq, first kept seq and dedupe entries are kept in memory
 *   (a DedupeIndex) while this instance is the only writer of the file: the
 *   caller drops them all when PRAGMA data_version says another connection
 *   committed, and on any failed batch, and they load again from the file;
 * - the batch's messages and dedupe rows go in as multi-row inserts, both
 *   keyed by (room_id, seq), so they add to the end of their trees;
 * - the room row (last and first seq) is updated once per room per batch;
 *   the rows history no longer keeps and the dedupe rows past the window are
 *   deleted in runs of 64 or more (reads stop at the room's first_seq).
 *
 * Moderation actions take the same path (#action), so they are numbered in
 * call order with the messages of their turn.
 *
 * Must never decide a rule itself (adapters/rules.ts and moderation-rules.ts do), nor answer a call
 * before the transaction it ran in committed (the group commit's job).
 */
import type Database from 'better-sqlite3';
import type { ChatMessage, Entry } from '../../protocol/frames.js';
import { DedupeIndex } from '../dedupe-index.js';
import {
  actionDigest,
  decideActionDuplicate,
  isRemoveTarget,
  mayAct,
  toActionEntry,
  tombstone,
} from '../moderation-rules.js';
import { contentDigest, decideDuplicate, genesisLink, toStored } from '../rules.js';
import type { ActionResult, AppendOptions, AppendResult, NewAction, NewMessage, NotLive } from '../types.js';
import type { Moderation } from './moderation.js';
import { toEntry, toMessage, type RoomRow, type Statements } from './statements.js';

/** A message or a moderation action: both take the room's next seq and link, in call order. */
export type Append =
  | { readonly roomId: string; readonly m: NewMessage; readonly opts: AppendOptions }
  | { readonly roomId: string; readonly a: NewAction; readonly opts: AppendOptions };

type Touched = Map<string, { log: RoomLog; now: number; storedBefore: number }>;

/** What this instance knows of a room it writes to. */
interface RoomLog {
  lastSeq: number;
  /** The link of message lastSeq (protocol/chain.ts), or the room's genesis link. */
  lastChain: string;
  /** The lowest seq history keeps once this batch's trims are done. */
  firstSeq: number;
  /** The lowest seq left in the messages table: rows from it to firstSeq wait for a run of deletions. */
  trimmedBelow: number;
  dedupe: DedupeIndex;
  /** Dedupe rows up to this seq are forgotten in memory; up to `deletedThrough`, also in the file. */
  prunedThrough: number;
  deletedThrough: number;
}

/** Trimmed messages and dedupe rows are deleted in runs of at least this many, not one per append. */
const DELETE_RUN = 64;
/** Multi-row insert sizes (powers of two): a batch is split into the fewest of them. */
const MAX_ROWS = 64;
const MESSAGE_COLUMNS = 'room_id, seq, id, name, ts, text, sig, key_alg, key_pub, at, chain';
const DEDUPE_COLUMNS = 'room_id, seq, name, id, digest, stored_at';

export class Appends {
  readonly #db: Database.Database;
  readonly #q: Statements;
  readonly #mod: Moderation;
  /** A room's row if it is live at `now`; given `known` (read earlier in this transaction), it is not read again. */
  readonly #live: (roomId: string, now: number, known?: RoomRow) => { row: RoomRow } | NotLive;
  readonly #rooms = new Map<string, RoomLog>();
  /** Prepared once per (table, row count), on first use. */
  readonly #inserts = new Map<string, Database.Statement>();
  #messageRows: unknown[] = [];
  #dedupeRows: unknown[] = [];

  constructor(
    db: Database.Database,
    q: Statements,
    mod: Moderation,
    live: (roomId: string, now: number, known?: RoomRow) => { row: RoomRow } | NotLive,
  ) {
    this.#db = db;
    this.#q = q;
    this.#mod = mod;
    this.#live = live;
  }

  /** Forget a room (deleted, or created anew under an old id). */
  forget(roomId: string): void {
    this.#rooms.delete(roomId);
  }

  /** Forget every room: another writer touched the file, or a batch rolled back. */
  forgetAll(): void {
    this.#rooms.clear();
    this.#messageRows = [];
    this.#dedupeRows = [];
  }

  /** One result per append, in order. Must run inside the batch's transaction. */
  run(batch: readonly Append[]): (AppendResult | ActionResult)[] {
    const touched: Touched = new Map();
    // Each room's row is read once per batch (it was a fifth of an append's main-thread time): only this
    // transaction writes it, and only in #settle, after every append; its deadline is still checked each time.
    const rows = new Map<string, RoomRow>();
    const results = batch.map((a): AppendResult | ActionResult => {
      const found = this.#live(a.roomId, a.opts.now, rows.get(a.roomId));
      if (!('row' in found)) return found;
      const log = this.#log(a.roomId, found.row);
      if ('a' in a) {
        // An action may change the room's row (lock, slow mode): the next append reads it again.
        rows.delete(a.roomId);
        return this.#action(a.roomId, a.a, a.opts, found.row, log, touched);
      }
      rows.set(a.roomId, found.row);
      const { m, opts } = a;
      const seen = log.dedupe.get(m.name, m.id);
      if (seen) {
        // The original may be one of this batch's rows: write them before reading it back.
        this.#flush();
        return decideDuplicate(seen, m, (seq) => this.#stored(a.roomId, log, seq));
      }
      const message = toStored(m, log.lastSeq + 1, log.lastChain);
      const seq = message.seq;
      log.lastSeq = seq;
      log.lastChain = message.chain;
      if (seq - opts.cap + 1 > log.firstSeq) log.firstSeq = seq - opts.cap + 1;
      const digest = contentDigest(m.ts, m.text);
      log.dedupe.add(m.name, m.id, { seq, digest, storedAt: opts.now });
      this.#messageRows.push(
        a.roomId,
        seq,
        m.id,
        m.name,
        m.ts,
        m.text,
        m.sig,
        m.key.alg,
        m.key.pub,
        m.at,
        message.chain,
      );
      this.#dedupeRows.push(a.roomId, seq, m.name, m.id, digest, opts.now);
      touch(touched, a.roomId, log, opts);
      return { status: 'stored', message };
    });
    this.#flush();
    for (const [roomId, { log, now, storedBefore }] of touched) this.#settle(roomId, log, now, storedBefore);
    return results;
  }

  /**
   * An action, checked against the staff as this batch left it: the batch's
   * rows are written first, since the original or the target may be one.
   */
  #action(
    roomId: string,
    a: NewAction,
    opts: AppendOptions,
    row: RoomRow,
    log: RoomLog,
    touched: Touched,
  ): ActionResult {
    this.#flush();
    const seen = log.dedupe.get(a.name, a.id);
    if (seen) return decideActionDuplicate(seen, a, (seq) => this.#entry(roomId, log, seq));
    const staff = this.#mod.staff(row);
    if (!mayAct(staff, a.key, a.action)) return { status: 'forbidden' };
    const act = a.action;
    const target = act.act === 'remove' ? this.#entry(roomId, log, act.seq) : undefined;
    if (act.act === 'remove' && !isRemoveTarget(target, act.chain)) return { status: 'no-target' };
    const entry = toActionEntry(a, log.lastSeq + 1, log.lastChain);
    log.lastSeq = entry.seq;
    log.lastChain = entry.chain;
    if (entry.seq - opts.cap + 1 > log.firstSeq) log.firstSeq = entry.seq - opts.cap + 1;
    const digest = actionDigest(a.ts, act);
    log.dedupe.add(a.name, a.id, { seq: entry.seq, digest, storedAt: opts.now });
    const removed = act.act === 'remove' && isRemoveTarget(target, act.chain) ? tombstone(target, entry) : undefined;
    this.#mod.store(roomId, staff, a, entry, removed);
    this.#dedupeRows.push(roomId, entry.seq, a.name, a.id, digest, opts.now);
    touch(touched, roomId, log, opts);
    return removed ? { status: 'stored', entry, removed } : { status: 'stored', entry };
  }

  /** The room's row, trims and dedupe deletions, once per room per batch. */
  #settle(roomId: string, log: RoomLog, now: number, storedBefore: number): void {
    this.#q.bumpSeq.run(log.lastSeq, log.firstSeq, log.lastChain, now, roomId);
    if (log.firstSeq - log.trimmedBelow >= DELETE_RUN) {
      this.#q.trim.run(roomId, log.firstSeq - 1);
      log.trimmedBelow = log.firstSeq;
    }
    log.prunedThrough = Math.max(log.prunedThrough, log.dedupe.prune(log.firstSeq, storedBefore));
    if (log.prunedThrough - log.deletedThrough >= DELETE_RUN) {
      this.#q.deleteDedupe.run(roomId, log.prunedThrough);
      log.deletedThrough = log.prunedThrough;
    }
  }

  /** A stored message by seq, as history holds it after this batch's trims (undefined once trimmed). */
  #stored(roomId: string, log: RoomLog, seq: number): ChatMessage | undefined {
    if (seq < log.firstSeq) return undefined;
    const row = this.#q.messageBySeq.get(roomId, seq);
    return row && row.kind === null ? toMessage(row) : undefined;
  }

  /** Any stored entry by seq, after this batch's trims. */
  #entry(roomId: string, log: RoomLog, seq: number): Entry | undefined {
    if (seq < log.firstSeq) return undefined;
    const row = this.#q.messageBySeq.get(roomId, seq);
    return row && toEntry(row);
  }

  #log(roomId: string, row: RoomRow): RoomLog {
    let log = this.#rooms.get(roomId);
    if (log) return log;
    const firstSeq = row.first_seq;
    const trimmedBelow = this.#q.firstSeq.get(roomId)?.seq ?? firstSeq;
    const dedupe = new DedupeIndex();
    let lowest = 0;
    for (const d of this.#q.dedupeRows.iterate(roomId)) {
      if (lowest === 0) lowest = d.seq;
      dedupe.add(d.name, d.id, { seq: d.seq, digest: d.digest, storedAt: d.stored_at });
    }
    const below = lowest === 0 ? row.last_seq : lowest - 1;
    const lastChain = row.last_chain ?? genesisLink(roomId, row.created_at);
    log = {
      lastSeq: row.last_seq,
      lastChain,
      firstSeq,
      trimmedBelow,
      dedupe,
      prunedThrough: below,
      deletedThrough: below,
    };
    this.#rooms.set(roomId, log);
    return log;
  }

  #flush(): void {
    this.#insert('messages', MESSAGE_COLUMNS, 11, this.#messageRows);
    this.#insert('dedupe', DEDUPE_COLUMNS, 6, this.#dedupeRows);
    this.#messageRows = [];
    this.#dedupeRows = [];
  }

  /** Inserts the flat `values` (`width` per row) in the fewest multi-row statements. */
  #insert(table: string, columns: string, width: number, values: unknown[]): void {
    let at = 0;
    let left = values.length / width;
    while (left > 0) {
      let n = MAX_ROWS;
      while (n > left) n >>= 1;
      this.#statement(table, columns, width, n).run(values.slice(at, at + n * width));
      at += n * width;
      left -= n;
    }
  }

  #statement(table: string, columns: string, width: number, rows: number): Database.Statement {
    const key = `${table}:${rows}`;
    let s = this.#inserts.get(key);
    if (!s) {
      const row = `(${new Array<string>(width).fill('?').join(', ')})`;
      s = this.#db.prepare(`INSERT INTO ${table} (${columns}) VALUES ${new Array<string>(rows).fill(row).join(', ')}`);
      this.#inserts.set(key, s);
    }
    return s;
  }
}

/** Notes that a room took an entry in this batch: its row is settled once, after the batch. */
function touch(touched: Touched, roomId: string, log: RoomLog, opts: AppendOptions): void {
  const t = touched.get(roomId);
  touched.set(roomId, {
    log,
    now: Math.max(t?.now ?? opts.now, opts.now),
    storedBefore: opts.now - opts.dedupeWindowMs,
  });
}
