/**
 * Signature verification spread over worker threads, shared by every server
 * in the process. Ed25519 verification is the dearest step of a send; done
 * on the event loop it caps a server at one core's verify rate. Jobs that
 * arrive in the same turn of the event loop go out as one batch per thread.
 *
 * Must never: resolve a job with another job's answer, or leave a job
 * unanswered when a thread dies (the event loop then verifies it itself).
 * Idle threads never keep a process alive.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Alg } from '../../protocol/frames.js';
import { importKey, verifySignature } from './keys.js';

export interface VerifyBatch {
  id: number;
  algs: Alg[];
  pubs: string[];
  sigs: string[];
  /** Every job's bytes back to back; job i ends at ends[i]. */
  data: Uint8Array;
  ends: Uint32Array;
}

interface Job {
  alg: Alg;
  pub: string;
  data: Uint8Array;
  sig: string;
  resolve: (ok: boolean) => void;
}

interface Lane {
  worker: Worker;
  inFlight: Map<number, Job[]>;
  jobs: number;
}

// Run from source (tests, bench) this module is a .ts file loaded through
// tsx, whose hooks do not reach a worker's entry on Node 20: the worker then
// registers tsx itself before importing its .ts entry.
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./verify-worker${FROM_SOURCE ? '.ts' : '.js'}`, import.meta.url);

function startWorker(): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL);
  const entry = JSON.stringify(WORKER_URL.href);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`, {
    eval: true,
  });
}

export class VerifyPool {
  readonly #size: number;
  readonly #lanes: Lane[] = [];
  #queue: Job[] = [];
  #flushScheduled = false;
  #nextBatch = 0;

  constructor(size: number) {
    this.#size = size;
  }

  /** Resolves true when `sig` is a valid signature of `data` by the key (alg, pub). */
  verify(alg: Alg, pub: string, data: Uint8Array, sig: string): Promise<boolean> {
    if (this.#size === 0) return Promise.resolve(verifyHere({ alg, pub, data, sig }));
    return new Promise((resolve) => {
      this.#queue.push({ alg, pub, data, sig, resolve });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const jobs = this.#queue;
    this.#queue = [];
    while (this.#lanes.length < this.#size) this.#lanes.push(this.#spawn());
    // Share the turn's jobs out over the threads, least loaded first.
    const lanes = [...this.#lanes].sort((a, b) => a.jobs - b.jobs);
    const per = Math.ceil(jobs.length / lanes.length);
    for (let i = 0; i < lanes.length && i * per < jobs.length; i++) {
      this.#post(lanes[i]!, jobs.slice(i * per, (i + 1) * per));
    }
  }

  #post(lane: Lane, jobs: Job[]): void {
    const id = ++this.#nextBatch;
    const ends = new Uint32Array(jobs.length);
    let total = 0;
    for (let i = 0; i < jobs.length; i++) ends[i] = total += jobs[i]!.data.length;
    const data = new Uint8Array(total);
    for (let i = 0; i < jobs.length; i++) data.set(jobs[i]!.data, ends[i]! - jobs[i]!.data.length);
    const batch: VerifyBatch = {
      id,
      algs: jobs.map((j) => j.alg),
      pubs: jobs.map((j) => j.pub),
      sigs: jobs.map((j) => j.sig),
      data,
      ends,
    };
    // Referenced only while it owes answers: an idle pool never keeps a process alive.
    if (lane.jobs === 0) lane.worker.ref();
    lane.inFlight.set(id, jobs);
    lane.jobs += jobs.length;
    lane.worker.postMessage(batch, [data.buffer, ends.buffer]);
  }

  #spawn(): Lane {
    const worker = startWorker();
    const lane: Lane = { worker, inFlight: new Map(), jobs: 0 };
    worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
      const jobs = lane.inFlight.get(id);
      if (!jobs) return;
      lane.inFlight.delete(id);
      lane.jobs -= jobs.length;
      if (lane.jobs === 0) lane.worker.unref();
      for (let i = 0; i < jobs.length; i++) jobs[i]!.resolve(results[i] === 1);
    });
    const fail = (): void => {
      const at = this.#lanes.indexOf(lane);
      if (at < 0) return;
      this.#lanes.splice(at, 1);
      for (const jobs of lane.inFlight.values()) for (const j of jobs) j.resolve(verifyHere(j));
      lane.inFlight.clear();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
    // After the listeners, since adding a 'message' listener refs the worker's port.
    worker.unref();
    return lane;
  }
}

function verifyHere(j: Omit<Job, 'resolve'>): boolean {
  const key = importKey({ alg: j.alg, pub: j.pub });
  return key !== undefined && verifySignature(key, j.data, j.sig);
}

let shared: VerifyPool | undefined;

/** The process's pool: one thread per core the process may use. */
export function verifyPool(): VerifyPool {
  shared ??= new VerifyPool(availableParallelism());
  return shared;
}
