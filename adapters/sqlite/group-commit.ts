/**
 * Group commit for the SQLite adapter: the calls made in one event-loop turn
 * wait for the end of the turn and run together through one function, which
 * commits them as one transaction. Each call still gets its own result, in
 * call order; a promise settles only after its batch committed, so an
 * acknowledgement still means stored.
 *
 * Must never settle a call before its batch committed, nor split a batch
 * that failed: it rolled back as a whole and every caller is told so.
 */
interface Pending<I, R> {
  item: I;
  resolve(result: R): void;
  reject(err: unknown): void;
}

export class GroupCommit<I, R> {
  readonly #runBatch: (items: I[]) => R[];
  readonly #queue: Pending<I, R>[] = [];

  /** `runBatch` returns one result per item, in order, or throws for the whole batch. */
  constructor(runBatch: (items: I[]) => R[]) {
    this.#runBatch = runBatch;
  }

  submit(item: I): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (this.#queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Runs what is queued now (at the end of the turn, or before closing). */
  flush(): void {
    const batch = this.#queue.splice(0);
    if (batch.length === 0) return;
    let results: R[];
    try {
      results = this.#runBatch(batch.map((p) => p.item));
    } catch (err) {
      // Rolled back as a whole: nobody was acknowledged, every sender may retry.
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }
}
