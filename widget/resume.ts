/**
 * Resuming a room without gaps or duplicates: the highest sequence number
 * held, which the next message must follow exactly, and the `since` a rejoin
 * asks from, which the server answers with exactly the missing messages.
 * With it goes that message's chain link, so the server can tell when the
 * history it holds at `since` is not the one this client saw (`rewritten`).
 * It must never let a message through twice or past a gap.
 */
import type { ChatMessage } from '../protocol/frames.js';

export class Resume {
  /** The highest seq held; 0 before the first welcome. */
  lastSeq = 0;
  /** The chain link of message lastSeq when held (a welcome may end below its lastSeq: no link then). */
  lastChain: string | undefined;

  /**
   * A welcome: everything up to its `lastSeq` is held now (it came in the
   * welcome, or earlier). `replaced`: the welcome is a fresh snapshot, so a
   * link held from before no longer names lastSeq.
   */
  joined(lastSeq: number, messages: readonly Pick<ChatMessage, 'seq' | 'chain'>[], replaced: boolean): void {
    const top = messages.at(-1);
    if (top?.seq === lastSeq) this.lastChain = top.chain;
    else if (replaced) this.lastChain = undefined;
    this.lastSeq = lastSeq;
  }

  /**
   * A message arrived: `old` (held already: drop it), `next` (take it; now held)
   * or `gap` (messages before it are missing: reconnect and resume).
   */
  take(message: Pick<ChatMessage, 'seq' | 'chain'>): 'old' | 'next' | 'gap' {
    if (message.seq <= this.lastSeq) return 'old';
    if (message.seq > this.lastSeq + 1) return 'gap';
    this.lastSeq = message.seq;
    this.lastChain = message.chain;
    return 'next';
  }

  /** The join frame's `since` and `chain`, once anything is held. */
  since(): { since?: number; chain?: string } {
    if (this.lastSeq === 0) return {};
    return this.lastChain !== undefined ? { since: this.lastSeq, chain: this.lastChain } : { since: this.lastSeq };
  }
}
