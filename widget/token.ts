/**
 * Sign-in tokens from the host page. The widget never signs in by itself: the
 * host hands it an access token (the `token` property) or a `getToken()`
 * callback, and the widget asks again at most once when the server refuses
 * one, so a host that keeps handing out a bad token cannot make it loop.
 */

/**
 * Gives the token to send, or undefined for none. `refused` is the error code
 * of the token just refused, when asking again.
 */
export type TokenSource = (refused?: string) => Promise<string | undefined>;

/** The host page's callback: a token (or a promise of one); it may return nothing when not signed in. */
export type GetToken = (refused?: string) => string | undefined | null | Promise<string | undefined | null>;

/** Errors that a different token may cure: the room needs sign-in, or the token sent was refused. */
export function isTokenRefusal(code: string): boolean {
  return code === 'auth-required' || code.startsWith('token-');
}
