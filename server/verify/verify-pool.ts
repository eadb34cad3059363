/**
 * Signature verification spread over worker threads. Ed25519 verification is
 * the dearest step of a send; done on the event loop it caps a server at one
 * core's verify rate. Jobs that arrive in the same turn of the event loop go
 * out together, to as few threads as their number needs; a thread holds at
 * most two batches (one running, one waiting, so it never idles for a round
 * trip), and jobs that find every thread full wait here and go out together
 * with the next answer. Under load, batches grow instead of multiplying:
 * each costs a postMessage on the event loop (9-12 % of the main thread in
 * fan-out with 4-job batches, issue 15), and each goes as one transferable
 * buffer with its keys named by number (./verify-batch.ts). A turn of a few jobs while every thread is idle
 * is verified here instead, on the event loop, and so are jobs that arrive before any thread has loaded. The
 * plugin makes one pool per server (or takes the caller's) and hands it down through the server context.
 *
 * Must never: resolve a job with another job's answer, or leave a job
 * unanswered when a thread dies (the event loop then verifies it itself).
 * Idle threads never keep a process alive.
 */
import { Worker } from 'node:worker_threads';
import type { Alg } from '../../protocol/frames.js';
import { importKey, verifySignature, type VerifyKey } from './keys.js';
import { packJobs, type VerifyBatch } from './verify-batch.js';

interface Job {
  alg: Alg;
  pub: string;
  data: Uint8Array;
  sig: string;
  resolve: (ok: boolean) => void;
}

/** Batches a thread holds at once: one it runs, one that waits so that it never idles for a round trip. */
const BATCHES_PER_THREAD = 2;
/** A turn's jobs are spread over more threads only when each gets at least this many. */
const MIN_SPLIT = 8;
/** Keys numbered at once; past it the table (and every thread's copy) starts again empty. */
const KEYS_MAX = 10_000;
/**
 * A turn's jobs are verified on the event loop, all of them, when they are at most this many and no thread
 * holds work: a thread's round trip costs two wake-ups, each dearer than a verify on a virtual machine (issue
 * 15: at 500 msg/s into 100 members, p50 3.6-5.3 ms verified here against 4.1-9.3 ms through the threads, and
 * less CPU in all). All or none, so that a turn's messages are stored and broadcast together: one turn split
 * between here and the threads would write each socket twice.
 */
const HERE_MAX = 4;

interface Lane {
  worker: Worker;
  inFlight: Map<number, Job[]>;
  jobs: number;
  /** The key numbers this thread was sent since its last reset. */
  known: Set<number>;
  /** Its next batch tells it to forget its keys first. */
  reset: boolean;
  /** Set by the thread's first message, once its code has loaded: until then it is sent nothing. */
  ready: boolean;
}

/** Starts a thread on the compiled worker next to this module (dist/server/verify/verify-worker.js). */
export function compiledWorker(): Worker {
  return new Worker(new URL('./verify-worker.js', import.meta.url));
}

export class VerifyPool {
  readonly #size: number;
  readonly #spawnWorker: () => Worker;
  /** Set when a thread failed before it loaded: the worker cannot start here (no build). */
  #unstartable = false;
  /** Set by close(): no thread is started or replaced after it. */
  #closed = false;
  readonly #lanes: Lane[] = [];
  #queue: Job[] = [];
  #flushScheduled = false;
  #nextBatch = 0;
  /** Each key's number, by algorithm then key: a key is sent to a thread once, then named by its number. */
  readonly #keyIds = new Map<Alg, Map<string, number>>();
  /** Keys imported on the event loop, by number, for the jobs verified here. */
  readonly #hereKeys = new Map<number, VerifyKey | undefined>();
  #keyCount = 0;
  #nextKeyId = 0;
  /** Callers of ready() waiting for the threads to load. */
  #readyWaiters: (() => void)[] = [];

  /** `size` threads (0: verify on the event loop); `spawn` starts one (tests run the .ts worker through tsx). */
  constructor(size: number, spawn: () => Worker = compiledWorker) {
    this.#size = size;
    this.#spawnWorker = spawn;
    // Started now, so that they have loaded before the first message: a thread takes tens of milliseconds to
    // load (hundreds from source), and the queue built meanwhile came out as one burst (issue 15).
    this.#spawnMissing();
  }

  /** Stops every thread; jobs still owed are answered on the event loop. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#lanes.map((lane) => lane.worker.terminate()));
  }

  /**
   * Resolves once every thread has loaded, or at once when this pool verifies on the event loop (size 0, or
   * threads that cannot start here). Jobs never wait for it: until then they are verified on the event loop.
   */
  ready(): Promise<void> {
    if (this.#allReady()) return Promise.resolve();
    // A caller waiting keeps the process alive until the threads have loaded.
    for (const lane of this.#lanes) if (!lane.ready) lane.worker.ref();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  #allReady(): boolean {
    return this.#size === 0 || this.#unstartable || this.#lanes.every((l) => l.ready);
  }

  #checkReady(): void {
    if (this.#allReady()) for (const resolve of this.#readyWaiters.splice(0)) resolve();
  }

  /** Jobs waiting for a thread or on one (the verify-pool depth metric). */
  get depth(): number {
    return this.#queue.length + this.#lanes.reduce((sum, lane) => sum + lane.jobs, 0);
  }

  /** Resolves true when `sig` is a valid signature of `data` by the key (alg, pub). */
  verify(alg: Alg, pub: string, data: Uint8Array, sig: string): Promise<boolean> {
    if (this.#size === 0 || this.#unstartable) return Promise.resolve(this.#verifyHere({ alg, pub, data, sig }));
    return new Promise((resolve) => {
      this.#queue.push({ alg, pub, data, sig, resolve });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#flushScheduled || this.#queue.length === 0) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    // A thread that died is replaced here.
    this.#spawnMissing();
    const jobs = this.#queue;
    if (jobs.length === 0) return;
    if (this.#lanes.every((l) => l.jobs === 0) && (jobs.length <= HERE_MAX || !this.#lanes.some((l) => l.ready))) {
      this.#queue = [];
      for (const j of jobs) j.resolve(this.#verifyHere(j));
      return;
    }
    // Threads that have loaded and have room for a batch, least loaded first; with none, the jobs wait for the
    // next answer.
    const lanes = this.#lanes
      .filter((l) => l.ready && l.inFlight.size < BATCHES_PER_THREAD)
      .sort((a, b) => a.jobs - b.jobs);
    if (lanes.length === 0) return;
    this.#queue = [];
    const used = Math.max(1, Math.min(lanes.length, Math.floor(jobs.length / MIN_SPLIT)));
    const per = Math.ceil(jobs.length / used);
    for (let i = 0; i < used && i * per < jobs.length; i++) {
      this.#post(lanes[i]!, jobs.slice(i * per, (i + 1) * per));
    }
  }

  #post(lane: Lane, jobs: Job[]): void {
    const id = ++this.#nextBatch;
    // Room for every key of this batch first, so that no number in it is dropped while it is built.
    if (this.#keyCount + jobs.length > KEYS_MAX) this.#forgetKeys();
    const keys: VerifyBatch['keys'] = [];
    const packed = jobs.map((j) => {
      const key = this.#keyId(j.alg, j.pub);
      if (!lane.known.has(key)) {
        lane.known.add(key);
        keys.push([key, j.alg, j.pub]);
      }
      return { key, data: j.data, sig: j.sig };
    });
    const buf = packJobs(packed);
    const batch: VerifyBatch = { id, reset: lane.reset, keys, buf };
    lane.reset = false;
    // Referenced only while it owes answers: an idle pool never keeps a process alive.
    if (lane.jobs === 0) lane.worker.ref();
    lane.inFlight.set(id, jobs);
    lane.jobs += jobs.length;
    lane.worker.postMessage(batch, [buf]);
  }

  /** The key's number, numbering it if it is new; numbers are never reused. */
  #keyId(alg: Alg, pub: string): number {
    let byKey = this.#keyIds.get(alg);
    if (!byKey) this.#keyIds.set(alg, (byKey = new Map<string, number>()));
    let key = byKey.get(pub);
    if (key === undefined) {
      key = this.#nextKeyId++;
      byKey.set(pub, key);
      this.#keyCount++;
    }
    return key;
  }

  /** A job on the event loop (every path that verifies here), with the key imported once per key table, not per job. */
  #verifyHere(j: Omit<Job, 'resolve'>): boolean {
    if (this.#keyCount >= KEYS_MAX) this.#forgetKeys();
    const id = this.#keyId(j.alg, j.pub);
    let key = this.#hereKeys.get(id);
    if (key === undefined && !this.#hereKeys.has(id)) this.#hereKeys.set(id, (key = importKey(j)));
    return key !== undefined && verifySignature(key, j.data, j.sig);
  }

  /** Bounds the key table: every key is numbered and sent again from here on, and threads drop their copies. */
  #forgetKeys(): void {
    this.#keyIds.clear();
    this.#hereKeys.clear();
    this.#keyCount = 0;
    for (const lane of this.#lanes) {
      lane.known.clear();
      lane.reset = true;
    }
  }

  #spawnMissing(): void {
    if (this.#unstartable || this.#closed) return;
    while (this.#lanes.length < this.#size) this.#lanes.push(this.#spawn());
  }

  #spawn(): Lane {
    const worker = this.#spawnWorker();
    const lane: Lane = { worker, inFlight: new Map(), jobs: 0, known: new Set(), reset: false, ready: false };
    let answered = false;
    worker.on('message', ({ id, results }: { id: number; results: Uint8Array }) => {
      answered = true;
      if (id === 0) {
        // Loaded (./verify-worker.ts): jobs that wait for a thread go out now.
        lane.ready = true;
        if (lane.jobs === 0) lane.worker.unref();
        this.#checkReady();
        return this.#schedule();
      }
      const jobs = lane.inFlight.get(id);
      if (!jobs) return;
      lane.inFlight.delete(id);
      lane.jobs -= jobs.length;
      if (lane.jobs === 0) lane.worker.unref();
      for (let i = 0; i < jobs.length; i++) jobs[i]!.resolve(results[i] === 1);
      // Jobs that found every thread full go out now, as one batch.
      this.#schedule();
    });
    const fail = (): void => {
      const at = this.#lanes.indexOf(lane);
      if (at < 0) return;
      this.#lanes.splice(at, 1);
      for (const jobs of lane.inFlight.values()) for (const j of jobs) j.resolve(this.#verifyHere(j));
      lane.inFlight.clear();
      // A thread that had loaded is replaced at once; one that never did, only when jobs come (by #flush).
      if (answered) this.#spawnMissing();
      // Jobs waiting for room on a thread go to the one that replaces it (or here, if none can start).
      if (this.#unstartable) for (const j of this.#queue.splice(0)) j.resolve(this.#verifyHere(j));
      else this.#schedule();
      this.#checkReady();
    };
    worker.on('error', () => {
      // An error before any answer is a thread that cannot load its code: stop spawning more.
      if (!answered) this.#unstartable = true;
      fail();
    });
    worker.on('exit', fail);
    // After the listeners, since adding a 'message' listener refs the worker's port.
    worker.unref();
    return lane;
  }
}
