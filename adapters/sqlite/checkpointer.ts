/**
 * WAL checkpoints off the event loop. With SQLite's default, the commit that
 * takes the WAL past 1000 pages copies them into the database file (and syncs
 * it) on the committing thread, so every few hundred messages one group
 * commit stalls the server. Here the main connection never checkpoints
 * (wal_autocheckpoint = 0) and a worker thread with its own connection to the
 * file runs a PASSIVE checkpoint every `intervalMs`: it copies what no reader
 * still needs and never waits for, nor blocks, a writer. Once a checkpoint
 * has copied everything, the next writer starts the WAL from its beginning,
 * so the file stays about one interval's writes long.
 *
 * Must never change what a commit means: the WAL, not the checkpoint, is
 * what makes a commit durable, and it survives a crash of either thread.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker's whole program, in plain JS so it runs the same from source (tsx) and from dist. */
const PROGRAM = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try { checkpoint.get(); } catch { /* busy: the next tick tries again */ }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint.get(); } catch {}
  db.close();
  parentPort.postMessage('closed');
});
`;

export class Checkpointer {
  readonly #worker: Worker;

  constructor(path: string, intervalMs = 200) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(PROGRAM, { eval: true, workerData: { path, driver, intervalMs } });
    // An idle checkpointer never keeps a process alive.
    this.#worker.unref();
  }

  /** A last checkpoint, then the thread's connection closes before the caller's. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.#worker.once('message', () => resolve());
      this.#worker.once('exit', () => resolve());
      this.#worker.once('error', () => resolve());
    });
    this.#worker.postMessage('close');
    await closed;
    await this.#worker.terminate();
  }
}
