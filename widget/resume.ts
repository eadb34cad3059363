/**
 * Resuming a room without gaps or duplicates: the highest sequence number
 * held, which the next message must follow exactly, and the `since` a rejoin
 * asks from, which the server answers with exactly the missing messages.
 * It must never let a message through twice or past a gap.
 */
export class Resume {
  /** The highest seq held; 0 before the first welcome. */
  lastSeq = 0;

  /** A welcome: everything up to its `lastSeq` is held now (it came in the welcome, or earlier). */
  joined(lastSeq: number): void {
    this.lastSeq = lastSeq;
  }

  /**
   * A message arrived: `old` (held already: drop it), `next` (take it; now held)
   * or `gap` (messages before it are missing: reconnect and resume).
   */
  take(seq: number): 'old' | 'next' | 'gap' {
    if (seq <= this.lastSeq) return 'old';
    if (seq > this.lastSeq + 1) return 'gap';
    this.lastSeq = seq;
    return 'next';
  }

  /** The join frame's `since`, once anything is held. */
  since(): { since?: number } {
    return this.lastSeq > 0 ? { since: this.lastSeq } : {};
  }
}
