/**
 * Limits that client and server must agree on, defined once. The server's
 * defaults start from these and its `hello` frame states the values in force;
 * a client uses these only until that `hello` arrives (the name length is
 * fixed by the protocol and not configurable).
 */

/** Longest display name, in code points (protocol/names.ts). */
export const MAX_NAME_LENGTH = 32;

/** Default longest message text, in code points. */
export const DEFAULT_MAX_TEXT_LENGTH = 1000;

/** Default largest inbound frame, in bytes. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024;

/** Default window around server time in which a message's `ts` is accepted. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

/** The server forwards at most one `typing` frame per socket in this interval; faster ones are dropped. */
export const TYPING_INTERVAL_MS = 2000;

/** A receiver shows "X is typing" this long after the last `typing` frame from X. */
export const TYPING_TTL_MS = 6000;
