/**
 * Appends on Redis, where the link is computed here (Lua has no SHA-256) and
 * stored by the script only if the room's head is still the one it was
 * computed from (a compare-and-set). This instance remembers each room's
 * head, and sends the appends waiting for a room together, each computed
 * from the head the one before it will leave, so that one round trip stores
 * them all. An append that finds another head (another instance appended, or
 * an earlier one in the batch was a duplicate) is answered 'stale' with the
 * real head, and goes again in the next batch.
 *
 * Must never let an append be answered before its own script's reply, nor
 * reorder this instance's appends to one room.
 */

/** A room's head as the append script reports it. */
export interface Head {
  readonly seq: string;
  /** '' for a room made before the chain: its next link extends the genesis link. */
  readonly chain: string;
  readonly createdAt: number;
}

type Reply = (string | null)[];

/** One try of one append: the script's reply, and the head it leaves if it stores. */
export interface AppendTry {
  readonly reply: Promise<Reply>;
  /** Undefined when no head was known: such a try cannot store, and only learns the head. */
  readonly next: Head | undefined;
}

interface Pending<T> {
  readonly item: T;
  tries: number;
  resolve(reply: Reply): void;
  reject(err: unknown): void;
}

/** Rooms whose head is remembered; the oldest is forgotten past this. */
const MAX_ROOMS = 10_000;
/** Appends sent together at most. */
const MAX_BATCH = 64;
/** Tries per append; each loss means the head moved under it. */
const MAX_TRIES = 100;

export class ChainAppends<T> {
  readonly #heads = new Map<string, Head>();
  readonly #queues = new Map<string, Pending<T>[]>();
  readonly #send: (roomId: string, item: T, head: Head | undefined) => AppendTry;

  constructor(send: (roomId: string, item: T, head: Head | undefined) => AppendTry) {
    this.#send = send;
  }

  /** Resolves with the script's final reply (never 'stale'). */
  submit(roomId: string, item: T): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const queue = this.#queues.get(roomId);
      if (queue) return void queue.push({ item, tries: 0, resolve, reject });
      this.#queues.set(roomId, [{ item, tries: 0, resolve, reject }]);
      void this.#drain(roomId);
    });
  }

  async #drain(roomId: string): Promise<void> {
    const queue = this.#queues.get(roomId)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      let head = this.#heads.get(roomId);
      const tries = batch.map((p) => {
        const t = this.#send(roomId, p.item, head);
        head = t.next;
        return t;
      });
      const again: Pending<T>[] = [];
      for (const [i, p] of batch.entries()) {
        const t = tries[i]!;
        let reply: Reply;
        try {
          reply = await t.reply;
        } catch (err) {
          p.reject(err);
          continue;
        }
        if (reply[0] === 'stale') {
          this.#remember(roomId, { seq: reply[1]!, chain: reply[2]!, createdAt: Number(reply[3]) });
          if (++p.tries < MAX_TRIES) again.push(p);
          else p.reject(new Error(`append to room ${roomId} lost the compare-and-set ${MAX_TRIES} times`));
          continue;
        }
        if (reply[0] === 'stored' && t.next) this.#remember(roomId, t.next);
        p.resolve(reply);
      }
      queue.unshift(...again);
    }
    this.#queues.delete(roomId);
  }

  #remember(roomId: string, head: Head): void {
    this.#heads.delete(roomId);
    this.#heads.set(roomId, head);
    if (this.#heads.size > MAX_ROOMS) this.#heads.delete(this.#heads.keys().next().value!);
  }
}
