/**
 * Verify threads for servers run from source: tsx's hooks do not reach a
 * worker's entry on Node 20, so the thread registers tsx itself before it
 * imports the .ts worker. Production starts the compiled worker instead; this
 * bootstrap lives with the tests and the bench, never in server/.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { VerifyPool } from '../../server/verify/verify-pool.js';

const WORKER = new URL('../../server/verify/verify-worker.ts', import.meta.url).href;

/** Starts one verify thread on the .ts worker. */
export function sourceWorker(): Worker {
  const entry = JSON.stringify(WORKER);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`, {
    eval: true,
  });
}

let shared: VerifyPool | undefined;

/** One pool for every server a test process starts (threads idle between tests keep nothing alive). */
export function sourceVerifyPool(): VerifyPool {
  shared ??= new VerifyPool(availableParallelism(), sourceWorker);
  return shared;
}
