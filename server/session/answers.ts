/**
 * A socket's answers in arrival order, while its sends are pipelined into
 * storage (./session.ts): a send's append is issued in its turn, and its
 * answer is chained after the answers before it, to go out once storage
 * replies. Any other frame waits for `settled()` before it answers.
 *
 * Must never: let an answer overtake one before it, or hold more than
 * PIPELINE_DEPTH sends in flight (past it the next send waits, and TCP holds
 * the client back, as before).
 */
import { SETTLED } from '../socket/client-socket.js';

/** Sends of one socket whose storage may be under way at once. */
const PIPELINE_DEPTH = 16;

export class AnswerQueue {
  #last: Promise<void> = SETTLED;
  #inFlight = 0;

  /** Resolves once every answer queued so far has gone out. */
  settled(): Promise<void> {
    return this.#last;
  }

  /** True at the depth limit: the next send waits for `settled()` before it is issued. */
  get full(): boolean {
    return this.#inFlight >= PIPELINE_DEPTH;
  }

  /**
   * Queues the answer to `stored` (an append already issued): `answer` with
   * its result after every answer before it, or `fail` with its refusal.
   */
  push<T>(stored: Promise<T>, answer: (result: T) => void, fail: (err: unknown) => void): void {
    const before = this.#last;
    this.#inFlight++;
    this.#last = stored
      .then(
        async (result) => {
          await before;
          answer(result);
        },
        async (err: unknown) => {
          await before;
          throw err;
        },
      )
      .catch(fail)
      .finally(() => this.#inFlight--);
  }
}
