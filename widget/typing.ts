/**
 * The typing indicator, client side (docs/protocol.md, "typing"): who is
 * typing right now, and when to say that we are. A name is shown for
 * TYPING_TTL_MS after its last `typing` frame, or until a message from that
 * name arrives, whichever comes first. We send at most one frame every 3 s
 * while the user types, and never for an empty field; the server drops what
 * comes faster than TYPING_INTERVAL_MS anyway, so this is courtesy, not a
 * guarantee anyone relies on. It never stores anything.
 */
import { TYPING_TTL_MS } from '../protocol/limits.js';

/** The spec's "at most once every 3 s" for a client. */
export const TYPING_SEND_EVERY_MS = 3000;

export class Typing {
  readonly #expiry = new Map<string, ReturnType<typeof setTimeout>>();
  readonly #changed: () => void;
  #lastSent = -Infinity;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  /** The names typing now, in the order they started. */
  get names(): string[] {
    return [...this.#expiry.keys()];
  }

  /** A `typing` frame from `name`: shown, or kept a while longer. */
  heard(name: string): void {
    clearTimeout(this.#expiry.get(name));
    const known = this.#expiry.has(name);
    this.#expiry.set(
      name,
      setTimeout(() => this.spoke(name), TYPING_TTL_MS),
    );
    if (!known) this.#changed();
  }

  /** A message from `name` arrived (or its time ran out): no longer typing. */
  spoke(name: string): void {
    const timer = this.#expiry.get(name);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#expiry.delete(name);
    this.#changed();
  }

  clear(): void {
    for (const timer of this.#expiry.values()) clearTimeout(timer);
    this.#expiry.clear();
  }

  /** Whether the field's text is worth a `typing` frame now; counts it as sent when it is. */
  due(text: string): boolean {
    if (text.trim().length === 0) return false;
    const now = performance.now();
    if (now - this.#lastSent < TYPING_SEND_EVERY_MS) return false;
    this.#lastSent = now;
    return true;
  }
}
