/**
 * What one Redis instance believes each room's head is (last seq and link),
 * and a queue per room so this instance's own appends to one room never race
 * each other's compare-and-set. Appends from other instances still can; the
 * append script then answers 'stale' with the real head, which replaces the
 * guess here.
 *
 * Must never be trusted for anything but a first guess: the script decides.
 */

/** A room's head as the append script reports it. */
export interface Head {
  readonly seq: string;
  /** '' for a room made before the chain: its next link extends the genesis link. */
  readonly chain: string;
  readonly createdAt: number;
}

/** Rooms whose head is remembered; the oldest guess is forgotten past this. */
const MAX_ROOMS = 10_000;

export class ChainHeads {
  readonly #heads = new Map<string, Head>();
  readonly #queues = new Map<string, Promise<unknown>>();

  get(roomId: string): Head | undefined {
    return this.#heads.get(roomId);
  }

  set(roomId: string, head: Head): void {
    this.#heads.delete(roomId);
    this.#heads.set(roomId, head);
    if (this.#heads.size > MAX_ROOMS) this.#heads.delete(this.#heads.keys().next().value!);
  }

  /** Runs `fn` after this instance's earlier appends to the room have settled. */
  serial<T>(roomId: string, fn: () => Promise<T>): Promise<T> {
    const before = this.#queues.get(roomId) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(roomId, settled);
    void settled.then(() => {
      if (this.#queues.get(roomId) === settled) this.#queues.delete(roomId);
    });
    return run;
  }
}
