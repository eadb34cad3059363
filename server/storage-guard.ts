/**
 * Storage as the server uses it. Every call has a deadline; a call that
 * fails or misses it is answered with the temporary `storage-unavailable`
 * error, and storage counts as down from then until a probe (`ping`, once a
 * second) answers again. While it is down, calls are refused at once, so a
 * stalled or unreachable Redis costs a client one quick error per frame
 * instead of a wait per frame. The outage is logged once when it starts
 * (error: it is a fault of the server's side) and once when it ends; the
 * refusals in between are summed into one line at most every 30 s.
 *
 * With metrics on, each call's latency goes to the storage histogram.
 *
 * Must never: hold a frame longer than the deadline waiting on storage, or
 * log a line per refused call.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus, Storage } from '../adapters/types.js';
import { ChatError } from '../protocol/errors.js';
import type { Metrics } from './metrics.js';

/** The calls that go through the guard: all but `ping` (the probe itself) and `close`. */
const OPS = [
  'createRoom',
  'getRoom',
  'bindName',
  'addPresence',
  'refreshPresence',
  'removePresence',
  'sweepPresence',
  'listMembers',
  'appendMessage',
  'appendAction',
  'readMessages',
  'expireRooms',
  'endRoom',
  'listRooms',
  'serverKey',
] as const satisfies readonly (keyof Storage)[];

/** How long /healthz and the recovery probe wait for `ping`. */
export const PROBE_TIMEOUT_MS = 1000;
const PROBE_EVERY_MS = 1000;
const SUMMARY_EVERY_MS = 30_000;

/** True for the refusal the guard gives while storage is down: the guard has logged the outage already. */
export function isOutage(err: unknown): boolean {
  return err instanceof ChatError && err.code === 'storage-unavailable';
}

/**
 * The bus as the server uses it: a publish that fails (Redis pub/sub
 * reconnecting) is refused with `storage-unavailable` like a storage call, not
 * answered as an internal error; the bus's connection logs the outage itself.
 */
export function guardBus(bus: EventBus, log: FastifyBaseLogger): EventBus {
  return {
    publish: (roomId, event) =>
      bus.publish(roomId, event).catch((err: unknown) => {
        log.debug({ err, roomId, kind: event.kind }, 'event not published');
        throw new ChatError('storage-unavailable');
      }),
    subscribe: (listener) => bus.subscribe(listener),
    close: () => bus.close(),
  };
}

/** A storage call or probe that missed its deadline. */
export class StorageTimeout extends Error {}

/** Resolves or rejects as `p` does, or rejects with StorageTimeout after `ms`. */
export function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new StorageTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Deadlines for the guarded calls, all of one length, so they fall due in the
 * order the calls began: a queue and one timer armed for its head, instead of
 * a timer and a Promise.race per call on the message path.
 */
interface Deadline {
  readonly due: number;
  settled: boolean;
  /** Undefined once settled. */
  reject: ((err: Error) => void) | undefined;
}

class Deadlines {
  readonly #ms: number;
  readonly #queue: Deadline[] = [];
  #head = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
  }

  /** Resolves or rejects as `p` does, or rejects with StorageTimeout once the deadline passes. */
  watch<T>(p: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: Deadline = { due: performance.now() + this.#ms, settled: false, reject };
      this.#queue.push(entry);
      this.#arm();
      p.then(
        (v) => {
          this.#settle(entry);
          resolve(v);
        },
        (err: unknown) => {
          this.#settle(entry);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  /**
   * A settled entry lets go of its promise at once (which holds the call's
   * result: after 10,000 joins, 0.7 KB of heap per socket for the whole
   * timeout), and the settled entries at the head of the queue leave it.
   */
  #settle(entry: Deadline): void {
    entry.settled = true;
    entry.reject = undefined;
    while (this.#queue[this.#head]?.settled) this.#head++;
    this.#compact();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    if (this.#timer !== undefined) return;
    const head = this.#queue[this.#head];
    if (!head) return;
    // Unref'd: a deadline is no reason to keep the process alive once nothing else is.
    this.#timer = setTimeout(() => this.#expire(), Math.max(0, head.due - performance.now())).unref();
  }

  #expire(): void {
    this.#timer = undefined;
    const now = performance.now();
    for (;;) {
      const e = this.#queue[this.#head];
      if (!e || (!e.settled && e.due > now)) break;
      if (!e.settled) e.reject?.(new StorageTimeout(`no answer within ${this.#ms} ms`));
      this.#head++;
    }
    this.#compact();
    this.#arm();
  }

  /** Drops what was passed once it is most of the array, so the queue stays as long as what is in flight. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

export class StorageGuard {
  /** The storage to hand to the rest of the server: each call guarded. */
  readonly storage: Storage;
  readonly #inner: Storage;
  readonly #log: FastifyBaseLogger;
  readonly #deadlines: Deadlines;
  readonly #metrics: Metrics | undefined;
  /** When the outage began; undefined while storage answers. */
  #downSince: number | undefined;
  #refused = 0;
  #lastSummary = 0;
  #probe: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(inner: Storage, timeoutMs: number, log: FastifyBaseLogger, metrics: Metrics | undefined) {
    this.#inner = inner;
    this.#deadlines = new Deadlines(timeoutMs);
    this.#log = log;
    this.#metrics = metrics;
    const guarded: Record<string, unknown> = {
      shared: inner.shared,
      ping: () => inner.ping(),
      close: () => inner.close(),
    };
    for (const op of OPS) {
      guarded[op] = (...args: unknown[]) =>
        this.#run(op, () => (Reflect.get(inner, op) as (...a: unknown[]) => Promise<unknown>).apply(inner, args));
    }
    this.storage = guarded as unknown as Storage;
  }

  /** True from a failed call until a probe answers. */
  get down(): boolean {
    return this.#downSince !== undefined;
  }

  /** Asks storage directly, within PROBE_TIMEOUT_MS (for /healthz); rejects with the reason. */
  async probe(): Promise<void> {
    await within(this.#inner.ping(), PROBE_TIMEOUT_MS);
  }

  /** Stops probing; the storage itself is the caller's to close. */
  stop(): void {
    this.#closed = true;
    clearTimeout(this.#probe);
    this.#deadlines.stop();
  }

  async #run(op: string, call: () => Promise<unknown>): Promise<unknown> {
    if (this.#downSince !== undefined) {
      this.#refused++;
      this.#summarize();
      this.#metrics?.storageSeconds.observe({ op, result: 'refused' }, 0);
      throw new ChatError('storage-unavailable');
    }
    const started = performance.now();
    let result = 'ok';
    try {
      return await this.#deadlines.watch(call());
    } catch (err) {
      result = err instanceof StorageTimeout ? 'timeout' : 'error';
      this.#fell(op, err);
      throw new ChatError('storage-unavailable');
    } finally {
      this.#metrics?.storageSeconds.observe({ op, result }, (performance.now() - started) / 1000);
    }
  }

  #fell(op: string, err: unknown): void {
    if (this.#downSince !== undefined) return;
    this.#downSince = Date.now();
    this.#refused = 0;
    this.#lastSummary = this.#downSince;
    this.#log.error(
      { err, op },
      'storage unavailable; refusing storage work with storage-unavailable until it answers',
    );
    this.#scheduleProbe(0);
  }

  #scheduleProbe(ms: number): void {
    if (this.#closed) return;
    this.#probe = setTimeout(() => {
      this.probe().then(
        () => this.#back(),
        () => this.#scheduleProbe(PROBE_EVERY_MS),
      );
    }, ms);
    this.#probe.unref();
  }

  #back(): void {
    const since = this.#downSince;
    if (since === undefined) return;
    this.#downSince = undefined;
    this.#log.info({ downMs: Date.now() - since, refused: this.#refused }, 'storage answers again');
  }

  #summarize(): void {
    const now = Date.now();
    if (now - this.#lastSummary < SUMMARY_EVERY_MS) return;
    this.#lastSummary = now;
    this.#log.warn({ refused: this.#refused, downMs: now - this.#downSince! }, 'storage still unavailable');
  }
}
