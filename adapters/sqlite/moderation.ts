/**
 * The SQLite adapter's moderation state: owner, moderators, lock and slow
 * mode on the room, bans and kicks beside it, actions and tombstones as rows
 * of the messages table (./schema.ts, step 7). Reads what the pure rules of
 * adapters/moderation-rules.ts decide on and writes what they decided; it
 * never decides itself, and runs only inside the caller's transaction.
 *
 * Erasing a removed message's text relies on `PRAGMA secure_delete = ON`
 * around the erasing statement: SQLite then zeroes the old cell's bytes and
 * any overflow pages it frees (a long text spans several), instead of leaving
 * them in free space. The connection otherwise runs with FAST (./open.ts),
 * which would leave freed overflow pages as they were.
 */
import type Database from 'better-sqlite3';
import type { PublicKey } from '../../protocol/frames.js';
import type { ActionEntry, RemovedEntry, RoomStaff } from '../../protocol/moderation.js';
import { applyToStaff, refuseBind } from '../moderation-rules.js';
import { keyId } from '../rules.js';
import type { BindResult, NewAction } from '../types.js';
import { ownerOf, type RoomRow } from './statements.js';

type Stmt<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

export class Moderation {
  readonly #moderators: Stmt<[string], { key_alg: PublicKey['alg']; key_pub: string }>;
  readonly #promote: Stmt<[string, string, string, number]>;
  readonly #demote: Stmt<[string, string, string]>;
  readonly #setRules: Stmt<[number, number, string]>;
  readonly #ban: Stmt<[string, string, string | null]>;
  readonly #unban: Stmt<[string, string]>;
  readonly #kick: Stmt<[string, string, number]>;
  readonly #banned: Stmt<[string, string, string | null], { one: number }>;
  readonly #kickedUntil: Stmt<[string, string], { until: number }>;
  readonly #subject: Stmt<[string, string], { subject: string | null }>;
  readonly #insertAction: Stmt<
    [string, number, string, string, number, string, string, string, number, string, string]
  >;
  readonly #erase: Stmt<[string, string, number]>;
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#moderators = db.prepare('SELECT key_alg, key_pub FROM moderators WHERE room_id = ? ORDER BY since_seq');
    this.#promote = db.prepare(
      'INSERT INTO moderators (room_id, key_alg, key_pub, since_seq) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.#demote = db.prepare('DELETE FROM moderators WHERE room_id = ? AND key_alg = ? AND key_pub = ?');
    this.#setRules = db.prepare('UPDATE rooms SET locked = ?, slow_mode_ms = ? WHERE id = ?');
    this.#ban = db.prepare('INSERT OR REPLACE INTO bans (room_id, key_id, subject) VALUES (?, ?, ?)');
    this.#unban = db.prepare('DELETE FROM bans WHERE room_id = ? AND key_id = ?');
    this.#kick = db.prepare('INSERT OR REPLACE INTO kicks (room_id, key_id, until) VALUES (?, ?, ?)');
    this.#banned = db.prepare(
      // A NULL subject equals nothing, so a bind without one is checked by its key alone.
      'SELECT 1 AS one FROM bans WHERE room_id = ? AND (key_id = ? OR subject = ?) LIMIT 1',
    );
    this.#kickedUntil = db.prepare('SELECT until FROM kicks WHERE room_id = ? AND key_id = ?');
    this.#subject = db.prepare('SELECT subject FROM pins WHERE room_id = ? AND key_id = ?');
    this.#insertAction = db.prepare(
      `INSERT INTO messages (room_id, seq, id, name, ts, text, sig, key_alg, key_pub, at, chain, kind, detail)
       VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, 'action', ?)`,
    );
    this.#erase = db.prepare(
      "UPDATE messages SET text = '', kind = 'removed', detail = ? WHERE room_id = ? AND seq = ? AND kind IS NULL",
    );
  }

  moderators(roomId: string): PublicKey[] {
    return this.#moderators.all(roomId).map((r) => ({ alg: r.key_alg, pub: r.key_pub }));
  }

  staff(row: RoomRow): RoomStaff {
    return {
      owner: ownerOf(row),
      moderators: this.moderators(row.id),
      locked: row.locked === 1,
      slowModeMs: row.slow_mode_ms,
    };
  }

  /** What a bind meets before names: a ban, a running kick, a lock (adapters/moderation-rules.ts refuseBind). */
  refuse(row: RoomRow, key: PublicKey, subject: string | undefined, pinned: boolean, now: number) {
    const standing = {
      banned: (id: string, sub: string | undefined) => this.#banned.get(row.id, id, sub ?? null) !== undefined,
      kickedUntil: (id: string) => this.#kickedUntil.get(row.id, id)?.until,
      locked: row.locked === 1,
    };
    return refuseBind(standing, key, subject, pinned, now) satisfies BindResult | undefined;
  }

  /** Stores a checked action's row and applies it: staff, bans, kicks, and a remove's erasure. */
  store(roomId: string, staff: RoomStaff, a: NewAction, entry: ActionEntry, removed?: RemovedEntry): void {
    const { seq, id, name, ts, sig, key, at, chain, action } = entry;
    this.#insertAction.run(roomId, seq, id, name, ts, sig, key.alg, key.pub, at, chain, JSON.stringify(action));
    const act = a.action;
    switch (act.act) {
      case 'remove':
        if (removed) {
          this.#db.pragma('secure_delete = ON');
          try {
            this.#erase.run(JSON.stringify(removed.removedBy), roomId, act.seq);
          } finally {
            this.#db.pragma('secure_delete = FAST');
          }
        }
        return;
      case 'promote':
        this.#promote.run(roomId, act.target.alg, act.target.pub, seq);
        return;
      case 'demote':
        this.#demote.run(roomId, act.target.alg, act.target.pub);
        return;
      case 'ban': {
        const target = keyId(act.target);
        this.#ban.run(roomId, target, this.#subject.get(roomId, target)?.subject || null);
        return;
      }
      case 'unban':
        this.#unban.run(roomId, keyId(act.target));
        return;
      case 'kick':
        this.#kick.run(roomId, keyId(act.target), a.at + act.forMs);
        return;
      case 'lock':
      case 'unlock':
      case 'slow': {
        const next = applyToStaff(staff, act);
        this.#setRules.run(next.locked ? 1 : 0, next.slowModeMs, roomId);
        return;
      }
    }
  }
}
