/**
 * The bench server's verify threads: the source worker of the tests
 * (test/helpers/verify-pool.ts), each thread writing its Linux thread id into
 * shared memory before it loads, so that the bench can read the verify
 * threads' CPU apart from the main thread's (bench/lib/threads.ts).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { VerifyPool } from '../../server/verify/verify-pool.js';
import { THREAD_SELF_SOURCE } from './threads.js';

const WORKER = new URL('../../server/verify/verify-worker.ts', import.meta.url).href;

export interface TracedPool {
  pool: VerifyPool;
  /** Thread ids of the verify threads started so far. */
  tids(): number[];
}

export function tracedVerifyPool(): TracedPool {
  const slots: Int32Array[] = [];
  const spawn = (): Worker => {
    const slot = new Int32Array(new SharedArrayBuffer(4));
    slots.push(slot);
    const code = [
      `const { workerData } = require('node:worker_threads');`,
      `Atomics.store(new Int32Array(workerData.tid), 0, ${THREAD_SELF_SOURCE});`,
      `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(WORKER)}); });`,
    ].join('\n');
    return new Worker(code, { eval: true, workerData: { tid: slot.buffer } });
  };
  return {
    pool: new VerifyPool(availableParallelism(), spawn),
    tids: () => slots.map((s) => Atomics.load(s, 0)).filter((t) => t !== 0),
  };
}
