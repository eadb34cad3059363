/**
 * The small writes of one event-loop turn (name pins, presence) committed as
 * one transaction, as appends are (./group-commit.ts): a thousand sockets
 * joining at once cost a few commits, not two each (issue 12, big rooms).
 * Each write runs in a savepoint of its own, so one that throws is rolled
 * back alone and only its caller is told; the others still commit.
 *
 * Must never: settle a write before its transaction committed.
 */
import { GroupCommit } from './group-commit.js';

type Settled = { ok: true; value: unknown } | { ok: false; err: unknown };

export class WriteBatch {
  readonly #commit: GroupCommit<() => unknown, Settled>;

  /**
   * `write` runs its argument as one IMMEDIATE transaction; `nested` runs its
   * argument inside the current one, as a savepoint.
   */
  constructor(write: (fn: () => Settled[]) => Settled[], nested: (fn: () => unknown) => unknown) {
    this.#commit = new GroupCommit((batch) =>
      write(() =>
        batch.map((fn): Settled => {
          try {
            return { ok: true, value: nested(fn) };
          } catch (err) {
            return { ok: false, err };
          }
        }),
      ),
    );
  }

  async run<T>(fn: () => T): Promise<T> {
    const settled = await this.#commit.submit(fn);
    if (!settled.ok) throw settled.err;
    return settled.value as T;
  }

  /** Commits what is queued now (before closing). */
  flush(): void {
    this.#commit.flush();
  }
}
