/**
 * The one table of error codes that tiny-chat puts on the wire, in REST bodies,
 * `error` frames and WebSocket close frames.
 *
 * Rules: a code is never renamed or reused once shipped (retire it instead);
 * every code here is documented in docs/errors.md and test/protocol/errors.test.ts
 * keeps the two in step. Messages are for humans and may change; clients
 * branch on `code` only.
 */

/** NIP-01-style machine-readable category, so a client can act on unknown codes. */
export type ErrorCategory = 'invalid' | 'duplicate' | 'rate-limited' | 'blocked' | 'restricted' | 'error';

export interface ErrorSpec {
  readonly category: ErrorCategory;
  /** Human-readable default message; never includes internal details. */
  readonly message: string;
  /** Whether retrying the same request later may succeed. */
  readonly temporary: boolean;
  /** HTTP status when the error answers a REST request. */
  readonly status: number;
  /** WebSocket close code when the error ends the connection; absent when the socket stays open. */
  readonly close?: number;
}

export const ERRORS = {
  // ----- frames -----
  'malformed-json': {
    category: 'invalid',
    message: 'The frame is not valid JSON.',
    temporary: false,
    status: 400,
  },
  'unknown-type': {
    category: 'invalid',
    message: 'The frame type is not known.',
    temporary: false,
    status: 400,
  },
  'invalid-frame': {
    category: 'invalid',
    message: 'The frame has missing, extra or wrongly typed fields.',
    temporary: false,
    status: 400,
  },
  'frame-too-large': {
    category: 'invalid',
    message: 'The frame exceeds the maximum frame size.',
    temporary: false,
    status: 413,
    close: 1009,
  },
  'too-many-errors': {
    category: 'blocked',
    message: 'Too many invalid frames; the connection is closed.',
    temporary: false,
    status: 400,
    close: 4400,
  },
  // ----- join -----
  'not-joined': {
    category: 'restricted',
    message: 'Join a room before sending this frame.',
    temporary: false,
    status: 400,
  },
  'already-joined': {
    category: 'invalid',
    message: 'This connection has already joined a room.',
    temporary: false,
    status: 400,
  },
  'bad-key': {
    category: 'invalid',
    message: 'The public key is not a valid key for the named algorithm.',
    temporary: false,
    status: 400,
  },
  'bad-proof': {
    category: 'invalid',
    message: 'The join proof does not verify against the public key.',
    temporary: false,
    status: 400,
  },
  'name-invalid': {
    category: 'invalid',
    message: 'The name is empty, too long, or has control, bidi or zero-width characters.',
    temporary: false,
    status: 400,
  },
  'name-unavailable': {
    category: 'duplicate',
    message: 'No free name could be derived from the wished name.',
    temporary: false,
    status: 409,
  },
  // ----- rooms -----
  'room-not-found': {
    category: 'invalid',
    message: 'There is no room with this id.',
    temporary: false,
    status: 404,
  },
  'export-refused': {
    category: 'restricted',
    message: 'The transcript request is not signed by a key that holds a name in this room, within the clock skew.',
    temporary: false,
    status: 403,
  },
  'room-expired': {
    category: 'invalid',
    message: 'The room has expired and was deleted.',
    temporary: false,
    status: 410,
  },
  'room-closed': {
    category: 'restricted',
    message: 'The room was deleted; the connection is closed.',
    temporary: false,
    status: 410,
    close: 4410,
  },
  'resync-required': {
    category: 'error',
    message: 'Messages were lost in transit; reconnect with your last sequence number.',
    temporary: true,
    status: 409,
    close: 4409,
  },
  'history-rolled-back': {
    category: 'error',
    message:
      "The server's storage went back to an older state; reconnect with your last sequence number and chain to see what changed.",
    temporary: true,
    status: 409,
    close: 4412,
  },
  // ----- moderation (protocol/moderation.ts) -----
  'room-ended': {
    category: 'restricted',
    message: 'The owner or an operator ended the room; the connection is closed.',
    temporary: false,
    status: 410,
    close: 4411,
  },
  kicked: {
    category: 'blocked',
    message: 'A moderator removed you from the room; you may rejoin after retryAfterMs.',
    temporary: true,
    status: 403,
    close: 4413,
  },
  banned: {
    category: 'blocked',
    message: 'A moderator banned you from the room.',
    temporary: false,
    status: 403,
    close: 4414,
  },
  'room-locked': {
    category: 'restricted',
    message: 'The room is locked: no new names may join; members who hold a name may rejoin.',
    temporary: true,
    status: 403,
  },
  'not-moderator': {
    category: 'restricted',
    message: "Only the room's owner or a moderator may do this (and some actions only the owner).",
    temporary: false,
    status: 403,
  },
  'no-owner-claim': {
    category: 'invalid',
    message: "The owner claim's proof does not verify, or its time is outside the clock skew.",
    temporary: false,
    status: 400,
  },
  'moderation-target-missing': {
    category: 'invalid',
    message: 'The action names a message that is not stored with that chain link.',
    temporary: false,
    status: 404,
  },
  'slow-mode': {
    category: 'rate-limited',
    message: 'The room is in slow mode; wait retryAfterMs before your next message.',
    temporary: true,
    status: 429,
  },
  // ----- messages -----
  unsigned: {
    category: 'invalid',
    message: 'The message carries no signature.',
    temporary: false,
    status: 400,
  },
  'bad-signature': {
    category: 'invalid',
    message: 'The signature does not verify against the key pinned at join.',
    temporary: false,
    status: 400,
  },
  replay: {
    category: 'duplicate',
    message: 'This message id was already used with other content.',
    temporary: false,
    status: 409,
  },
  'wrong-room': {
    category: 'invalid',
    message: 'The message is signed for another room.',
    temporary: false,
    status: 400,
  },
  'clock-skew': {
    category: 'invalid',
    message: 'The message time is too far from the server time.',
    temporary: false,
    status: 400,
  },
  'text-too-long': {
    category: 'invalid',
    message: 'The text exceeds the maximum length.',
    temporary: false,
    status: 400,
  },
  'text-invalid': {
    category: 'invalid',
    message: 'The text is empty or is not well-formed Unicode.',
    temporary: false,
    status: 400,
  },
  // ----- authentication (REST 401s; on a socket the join is refused and the socket stays open) -----
  'auth-required': {
    category: 'restricted',
    message: 'Sign in first: this needs a bearer token from a configured OpenID provider.',
    temporary: false,
    status: 401,
  },
  'token-malformed': {
    category: 'invalid',
    message: 'The token is not a compact JWS or the Authorization header is not "Bearer <token>".',
    temporary: false,
    status: 401,
  },
  'token-issuer': {
    category: 'restricted',
    message: 'The token was not issued by a configured issuer.',
    temporary: false,
    status: 401,
  },
  'token-audience': {
    category: 'restricted',
    message: 'The token is not meant for this server (wrong audience).',
    temporary: false,
    status: 401,
  },
  'token-expired': {
    category: 'restricted',
    message: 'The token has expired; get a fresh one.',
    temporary: true,
    status: 401,
  },
  'token-algorithm': {
    category: 'invalid',
    message: 'The token is signed with an algorithm that is not allowed.',
    temporary: false,
    status: 401,
  },
  'token-signature': {
    category: 'invalid',
    message: "The token signature does not verify against the issuer's keys.",
    temporary: false,
    status: 401,
  },
  'token-invalid': {
    category: 'invalid',
    message: 'The token is missing a required claim or is not yet valid.',
    temporary: false,
    status: 401,
  },
  'issuer-unavailable': {
    category: 'error',
    message: 'The identity provider could not be reached; try again later.',
    temporary: true,
    status: 503,
  },
  // ----- abuse limits -----
  'proof-of-work-required': {
    category: 'restricted',
    message: 'This server asks for a proof of work first; the difficulty is included.',
    temporary: false,
    status: 401,
  },
  'proof-of-work-invalid': {
    category: 'invalid',
    message: 'The proof of work does not meet the difficulty, or its challenge is stale or used.',
    temporary: false,
    status: 400,
  },
  'admin-token-invalid': {
    category: 'restricted',
    message: 'This operator route needs the admin token as a bearer token.',
    temporary: false,
    status: 401,
  },
  'quota-exceeded': {
    category: 'rate-limited',
    message: 'You already hold the maximum number of live rooms.',
    temporary: true,
    status: 429,
  },
  'rate-limited': {
    category: 'rate-limited',
    message: 'Too many requests; wait retryAfterMs before trying again.',
    temporary: true,
    status: 429,
  },
  'too-many-connections': {
    category: 'rate-limited',
    message: 'Too many open connections from this address.',
    temporary: true,
    status: 429,
  },
  'origin-not-allowed': {
    category: 'blocked',
    message: 'Pages from this origin may not open a chat socket.',
    temporary: false,
    status: 403,
  },
  'join-timeout': {
    category: 'restricted',
    message: 'The socket did not join a room in time; the connection is closed.',
    temporary: true,
    status: 408,
    close: 4408,
  },
  'slow-consumer': {
    category: 'blocked',
    message: 'The client stopped reading; the connection is closed.',
    temporary: true,
    status: 503,
    close: 4503,
  },
  // ----- server -----
  'bad-request': {
    category: 'invalid',
    message: 'The request is not valid.',
    temporary: false,
    status: 400,
  },
  'not-found': {
    category: 'invalid',
    message: 'There is nothing at this address.',
    temporary: false,
    status: 404,
  },
  'server-shutdown': {
    category: 'error',
    message: 'The server is shutting down; reconnect later.',
    temporary: true,
    status: 503,
    close: 1001,
  },
  'storage-unavailable': {
    category: 'error',
    message: 'Storage is not answering for a moment; try again shortly.',
    temporary: true,
    status: 503,
  },
  internal: {
    category: 'error',
    message: 'Internal server error.',
    temporary: true,
    status: 500,
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/**
 * Close codes a socket can end with that no error code carries, so no
 * `error` or `closing` frame precedes them: ws answers a client that broke
 * the WebSocket protocol itself, or the connection ends without a close
 * frame. docs/errors.md lists each in its close-code table.
 */
export const TRANSPORT_CLOSES = {
  1002: 'A WebSocket protocol error: a compressed frame (RSV1 set; permessage-deflate is never negotiated), an unmasked frame, an unknown opcode.',
  1006: 'No close frame (the client sees 1006): dropped after a missed ping, or cut when it did not answer a close within the close grace.',
  1007: 'A text frame that is not valid UTF-8.',
  1009: 'A frame over four times maxFrameBytes, refused by ws before it is read.',
} as const satisfies Record<number, string>;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** An error that carries a wire code; the only error type the server shows to clients. */
export class ChatError extends Error {
  readonly code: ErrorCode;
  readonly spec: ErrorSpec;
  /** Extra machine-readable fields sent with the error (never internal details). */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    const spec: ErrorSpec = ERRORS[code];
    super(message ?? spec.message);
    this.name = 'ChatError';
    this.code = code;
    this.spec = spec;
    this.details = details;
  }
}
