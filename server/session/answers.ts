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
  /** The send waiting for room in the pipeline (one at most: a socket's frames are handled one at a time). */
  #waiting: (() => void) | undefined;

  /** Resolves once every answer queued so far has gone out. */
  settled(): Promise<void> {
    return this.#last;
  }

  /** True at the depth limit: the next send waits for `room()` before it is issued. */
  get full(): boolean {
    return this.#inFlight >= PIPELINE_DEPTH;
  }

  /**
   * Resolves once fewer than PIPELINE_DEPTH sends are in flight: as soon as the oldest one is answered, not once
   * all are. Waiting for all emptied the pipeline once per PIPELINE_DEPTH sends, so a socket sending faster than
   * that per storage round trip fell behind, and its backlog came back as bursts that lengthened the round trip
   * in turn (issue 15: the convoys at 2,000 msg/s into 100 members, p99 up to seconds).
   */
  room(): Promise<void> {
    if (!this.full) return SETTLED;
    return new Promise((resolve) => (this.#waiting = resolve));
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
      .finally(() => {
        this.#inFlight--;
        const waiting = this.#waiting;
        this.#waiting = undefined;
        waiting?.();
      });
  }
}
