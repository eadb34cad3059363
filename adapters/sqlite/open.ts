/**
 * Opens the SQLite adapter's database file with the settings every
 * connection of ours needs, brings its schema up to date and starts its
 * checkpointer. Settings only: what the data means is ./schema.ts's.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { backfillChains } from './chain-backfill.js';
import { Checkpointer } from './checkpointer.js';
import { migrate } from './schema.js';

export type SqliteSynchronous = 'off' | 'normal' | 'full' | 'extra';

/** Bytes per SQLite page in a new database file (SQLite's default is 4096). */
const PAGE_SIZE = 2048;

export function openDatabase(
  path: string,
  synchronous: SqliteSynchronous = 'normal',
): { db: Database.Database; checkpointer: Checkpointer | undefined } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // New files only (a file keeps the page size it was made with, and WAL mode forbids changing it): a WAL
  // write is whole pages, and a commit of a turn's messages dirties the tails of a few trees, so half-size pages
  // write about 30 % fewer bytes per message (2.8 -> 1.95 KB in the append micro-bench) for about 8 % more
  // main-thread CPU per append there (issue 15: the goal is 2 KB).
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  // Another process holding the write lock (a backup, a mistaken second instance) is waited for, not an error.
  db.pragma('busy_timeout = 5000');
  // Deleted cells are zeroed where that costs no extra write (trimmed history); a remove's erasure turns it
  // fully on around its own statement (./moderation.ts). Fully on here, zeroing every freed page cost every
  // append 0.4 KiB of writes (2.2 -> 1.8 KiB per message in the append micro-bench, issue 15's goal is 2).
  db.pragma('secure_delete = FAST');
  migrate(db);
  backfillChains(db);
  if (path === ':memory:') return { db, checkpointer: undefined };
  // Checkpoints run on a thread of their own (./checkpointer.ts), never inside a commit.
  db.pragma('wal_autocheckpoint = 0');
  return { db, checkpointer: new Checkpointer(path) };
}
