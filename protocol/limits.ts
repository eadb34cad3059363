/**
 * Limits that client and server must agree on, defined once. The server's
 * defaults start from these and its `hello` frame states the values in force;
 * a client uses these only until that `hello` arrives (the name length is
 * fixed by the protocol and not configurable).
 */

/** Longest display name, in code points (protocol/names.ts). */
export const MAX_NAME_LENGTH = 32;

/**
 * Longest wished name a `join` frame may carry, in UTF-16 units (what a JSON
 * schema's maxLength counts): room for MAX_NAME_LENGTH code points even when
 * each takes two units. Longer is a malformed frame (`invalid-frame`); up to
 * this, the name rules answer (`name-invalid` when the name is longer than
 * MAX_NAME_LENGTH code points once normalized).
 */
export const MAX_WISHED_NAME_LENGTH = 2 * MAX_NAME_LENGTH;

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

/**
 * Members in a `welcome` and in a `members` page by default: a big room's
 * member list is paged, never sent whole (docs/protocol.md, `members`).
 */
export const MEMBER_PAGE = 100;

/** Most members one `members` page may ask for. */
export const MAX_MEMBER_PAGE = 500;

/** Rooms in an operator's `GET /rooms` page by default, and at most. */
export const ROOM_LIST_PAGE = 100;
export const MAX_ROOM_LIST_PAGE = 1000;

/** Highest proof-of-work difficulty a server may ask, in leading zero bits (about 4 billion hashes). */
export const POW_MAX_BITS = 32;
