/**
 * Sign-in tokens from the host page. The widget never signs in by itself: the
 * host hands it an access token (the `token` property) or a `getToken()`
 * callback, and the widget asks again at most once when the server refuses
 * one, so a host that keeps handing out a bad token cannot make it loop.
 * That "replace a refused token once" rule lives here only (RefusedTokenOnce),
 * for both room creation and join.
 */
import { emit } from './events.js';

/**
 * Gives the token to send, or undefined for none. `refused` is the error code
 * of the token just refused, when asking again.
 */
export type TokenSource = (refused?: string) => Promise<string | undefined>;

/** The host page's callback: a token (or a promise of one); it may return nothing when not signed in. */
export type GetToken = (refused?: string) => string | undefined | null | Promise<string | undefined | null>;

/** Where a token comes from: the host element's `getToken`, else its `token`. */
export interface TokenHost extends EventTarget {
  readonly token: string | undefined;
  readonly getToken: GetToken | undefined;
}

/**
 * The token to send; with `refused`, first fires `tiny-chat-token-needed`, so a
 * listener may set a fresh `token` right there. A `getToken` that throws (signed
 * out, provider down) counts as no token.
 */
export async function askForToken(host: TokenHost, refused?: string): Promise<string | undefined> {
  if (refused !== undefined) emit(host, 'tiny-chat-token-needed', { code: refused });
  if (!host.getToken) return host.token || undefined;
  try {
    return (await host.getToken(refused)) || undefined;
  } catch {
    return undefined;
  }
}

/** Errors that a different token may cure: the room needs sign-in, or the token sent was refused. */
export function isTokenRefusal(code: string): boolean {
  return code === 'auth-required' || code.startsWith('token-');
}

/**
 * One attempt (a POST, or a join and its answer) with at most one replacement
 * for a refused token. It must never hand out a second replacement before
 * reset(), nor the very token just refused (that would be refused again).
 */
export class RefusedTokenOnce {
  readonly #source: TokenSource | undefined;
  #sent: string | undefined;
  #replaced = false;

  constructor(source: TokenSource | undefined) {
    this.#source = source;
  }

  /** The token for a fresh attempt (the source is asked every time, so an expired one is renewed). */
  async current(): Promise<string | undefined> {
    this.#sent = await this.#source?.();
    return this.#sent;
  }

  /** A different token after a refusal, once; undefined when there is none to try (give up). */
  async replace(code: string): Promise<string | undefined> {
    if (this.#replaced || !this.#source) return undefined;
    this.#replaced = true;
    const refused = this.#sent;
    const fresh = await this.#source(code);
    if (fresh === undefined || fresh === refused) return undefined;
    this.#sent = fresh;
    return fresh;
  }

  /** The attempt succeeded: the next refusal may be replaced once again. */
  reset(): void {
    this.#replaced = false;
  }
}
