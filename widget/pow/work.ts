/**
 * The proof of work a server asks of anonymous room creation and of a first
 * join (docs/protocol.md, proof of work), as the page shows it while it is
 * paid: working, with Cancel; or stopped after a cancel or a failure, with Try
 * again, which does again what was being done (join, or create the room).
 * The status is a polite live region, so screen readers hear it without
 * losing their place; one button changes its words, so keyboard focus stays
 * on it from Cancel to Try again.
 *
 * Must never leave the user with no way on: every stop offers Try again.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { HelloFrame, PublicKey } from '../../protocol/frames.js';
import type { PowJob } from '../../protocol/pow.js';
import { solve } from './solve.js';
import { POW_STRINGS, type PowStrings } from './strings.js';

export type PowPhase = 'idle' | 'working' | 'stopped';

/** A creation's work: the challenge the server answered with, and its solution. */
export interface CreationWork {
  readonly challenge: string;
  readonly solution: string;
}

export class PowWork {
  phase: PowPhase = 'idle';
  #abort: AbortController | undefined;
  #again: (() => void) | undefined;

  /** The element: its `strings` (overrides) and `requestUpdate`. */
  constructor(private readonly host: { readonly strings: Partial<PowStrings>; requestUpdate(): void }) {}

  /** Solves `job`; rejects when cancelled or when it fails, and then `again` is what Try again does. */
  async solve(job: PowJob, again: () => void): Promise<string> {
    this.#abort?.abort();
    const abort = (this.#abort = new AbortController());
    this.#again = again;
    this.#set('working');
    try {
      const solution = await solve(job, abort.signal);
      if (this.#abort === abort) this.#set('idle');
      return solution;
    } catch (err) {
      if (this.#abort === abort) this.#set('stopped');
      throw err;
    }
  }

  /** The work of a join on the socket whose `hello` this is. */
  join(hello: HelloFrame, roomId: string, key: PublicKey, again: () => void): Promise<string> {
    const fields = { roomId, nonce: hello.nonce, alg: key.alg, pub: key.pub };
    return this.solve({ kind: 'join', difficulty: hello.pow ?? 0, fields }, again);
  }

  /**
   * The work a refusal of POST /rooms asks for: `proof-of-work-required`
   * names a challenge and a difficulty; anything else (`proof-of-work-invalid`:
   * the challenge went stale or was used) gets none, so that the request goes
   * again without work and the server answers with a fresh challenge.
   */
  async create(refusal: { code?: unknown; challenge?: unknown; difficulty?: unknown }, again: () => void) {
    const { code, challenge, difficulty } = refusal;
    if (code !== 'proof-of-work-required' || typeof challenge !== 'string' || typeof difficulty !== 'number') return;
    const solution = await this.solve({ kind: 'create', difficulty, challenge }, again);
    return { challenge, solution } satisfies CreationWork;
  }

  /** The user stopped the work. */
  cancel(): void {
    this.#abort?.abort();
  }

  tryAgain(): void {
    this.#set('idle');
    this.#again?.();
  }

  /** Ends any work quietly (the room, the name or the server changed). */
  reset(): void {
    const abort = this.#abort;
    this.#abort = undefined;
    abort?.abort();
    this.#set('idle');
  }

  view(): TemplateResult | typeof nothing {
    if (this.phase === 'idle') return nothing;
    const t = { ...POW_STRINGS, ...this.host.strings };
    const working = this.phase === 'working';
    return html`<div part="checking" class="checking">
      <p role="status" aria-live="polite">${working ? t.powChecking : t.powStopped}</p>
      <button type="button" @click=${() => (working ? this.cancel() : this.tryAgain())}>
        ${working ? t.powCancel : t.powRetry}
      </button>
    </div>`;
  }

  #set(phase: PowPhase): void {
    this.phase = phase;
    this.host.requestUpdate();
  }
}
