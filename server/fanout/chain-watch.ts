/**
 * What one instance has delivered of one room's chain: the last seq and link,
 * and the links of the recent messages before it. Storage that went back to
 * an older state (Redis restarted from an older append-only file, a promoted
 * replica that lagged, an SQLite file restored under a running server) shows
 * here: its next message either reuses a seq already delivered under another
 * link, or does not extend the last link.
 *
 * Must never: call a late copy of a message already delivered a rewrite, nor
 * pass a message that does not extend the last delivered link.
 */
import { createHash } from 'node:crypto';
import { extendedLink, nextLink } from '../../adapters/rules.js';
import { isMessage, type Entry } from '../../protocol/frames.js';
import { actionChainBytes } from '../../protocol/moderation.js';

/** How many delivered links are remembered to recognize late copies (bus redelivery, a gap fill racing the bus). */
const RECENT = 1024;

export class ChainWatch {
  readonly #recent = new Map<number, string>();
  #top: { seq: number; chain: string } | undefined;

  /** The group's first welcome: where delivery starts, and the link there when the snapshot held it. */
  anchor(seq: number, chain: string | undefined): void {
    this.#recent.clear();
    this.#top = chain === undefined ? undefined : { seq, chain };
    if (chain !== undefined) this.#recent.set(seq, chain);
  }

  /** False when `m`, next in seq, does not extend the last delivered link (unknown before the first message). */
  extends(m: Entry): boolean {
    // An empty link is a message stored before the chain existed (docs/deployment.md): nothing to extend.
    if (!this.#top?.chain || m.seq !== this.#top.seq + 1) return true;
    if (isMessage(m)) {
      // Made by this process's storage: the link it extended is known, and its hash need not be redone.
      const prev = extendedLink(m);
      return prev !== undefined ? prev === this.#top.chain : nextLink(this.#top.chain, m) === m.chain;
    }
    // A tombstone lost the text its link covers: nothing to recompute; the next entry's link covers it.
    if (m.kind === 'removed') return true;
    return createHash('sha256').update(actionChainBytes(this.#top.chain, m)).digest('base64url') === m.chain;
  }

  /** True when `m` is below what was delivered and is not the message delivered under its seq. */
  rewrites(m: Entry): boolean {
    const held = this.#recent.get(m.seq);
    return held !== undefined && held !== m.chain;
  }

  delivered(m: Entry): void {
    this.#top = { seq: m.seq, chain: m.chain };
    this.#recent.set(m.seq, m.chain);
    if (this.#recent.size > RECENT) this.#recent.delete(this.#recent.keys().next().value!);
  }
}
