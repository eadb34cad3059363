/**
 * The one place that builds what the server puts on the wire: every server
 * frame, every `error` and `closing` frame, and every REST error body, with
 * codes, messages, categories and close codes taken from the
 * `protocol/errors.ts` table, as ws builds every protocol error in one
 * `createError`. test/server/build.test.ts fails when another server file
 * builds one by hand.
 *
 * Must never: invent an error text or close code the table does not hold, or
 * put an internal error's message into a frame or a body.
 */
import type { Room, RoomGoneReason } from '../../adapters/types.js';
import { ChatError, ERRORS, type ErrorCode } from '../../protocol/errors.js';
import {
  PROTOCOL_VERSION,
  type AckFrame,
  type ChatMessage,
  type ClosingFrame,
  type Entry,
  type ErrorFrame,
  type HelloFrame,
  type HistoryPageFrame,
  type Limits,
  type Member,
  type MembersPageFrame,
  type MessageFrame,
  type ModerationFrame,
  type PresenceFrame,
  type RestError,
  type RoomInfo,
  type ServerFrame,
  type TypingNoticeFrame,
  type WelcomeFrame,
} from '../../protocol/frames.js';
import type { ActionEntry } from '../../protocol/moderation.js';

/** The text that goes on the wire for a frame. */
export function encode(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** The limits a client is told, in `hello` and in /.well-known/tiny-chat.json: these fields and no other option. */
export function wireLimits(limits: Limits): Limits {
  const { maxTextLength, maxFrameBytes, historyCap, clockSkewMs, historyPage } = limits;
  return { maxTextLength, maxFrameBytes, historyCap, clockSkewMs, historyPage };
}

export function helloFrame(nonce: string, serverTime: number, limits: Limits, pow = 0): HelloFrame {
  return {
    type: 'hello',
    v: PROTOCOL_VERSION,
    nonce,
    serverTime,
    limits: wireLimits(limits),
    // Stated only when asked for, so that a server without it sends what it always sent.
    ...(pow > 0 ? { pow } : {}),
  };
}

export function welcomeFrame(fields: Omit<WelcomeFrame, 'type'>): WelcomeFrame {
  return { type: 'welcome', ...fields };
}

export function messageFrame(m: ChatMessage): MessageFrame {
  return { type: 'message', ...m };
}

export function ackFrame(id: string, seq: number, at: number, duplicate: boolean): AckFrame {
  return { type: 'ack', id, seq, at, duplicate };
}

export function moderationFrame(entry: ActionEntry): ModerationFrame {
  return { type: 'moderation', entry };
}

export function historyFrame(before: number, messages: readonly Entry[], firstSeq: number): HistoryPageFrame {
  return { type: 'history', before, messages, firstSeq };
}

export function presenceFrame(joined: readonly Member[], left: readonly Member[], memberCount: number): PresenceFrame {
  return { type: 'presence', joined, left, memberCount };
}

export function membersFrame(
  after: string | null,
  members: readonly Member[],
  memberCount: number,
  next: string | null,
): MembersPageFrame {
  return { type: 'members', after, members, memberCount, next };
}

export function typingFrame(name: string): TypingNoticeFrame {
  return { type: 'typing', name };
}

/** A room as clients see it (REST bodies and `welcome`). */
export function roomInfo(room: Room): RoomInfo {
  return {
    roomId: room.id,
    createdAt: room.createdAt,
    expiresAt: room.expiresAt,
    idleTimeoutMs: room.idleTimeoutMs,
    idleExpiresAt: room.connections > 0 ? null : Math.min(room.expiresAt, room.lastActiveAt + room.idleTimeoutMs),
    memberCount: room.memberCount,
    requireAuth: room.requireAuth === true,
    owner: room.staff.owner,
    moderators: room.staff.moderators,
    locked: room.staff.locked,
    slowModeMs: room.staff.slowModeMs,
  };
}

/** The `error` frame for a refusal; `ref` names the client frame it answers. */
export function errorFrame(e: ChatError, ref?: string): ErrorFrame {
  return {
    type: 'error',
    code: e.code,
    category: e.spec.category,
    message: e.message,
    temporary: e.spec.temporary,
    ...(ref === undefined ? {} : { ref }),
    ...e.details,
  };
}

/** The errors that end a socket with a `closing` frame, and the reasons each may give. */
interface ClosingReasons {
  'room-closed': 'expired' | 'idle';
  'room-ended': 'ended';
  kicked: 'kicked';
  banned: 'banned';
  'resync-required': 'resync';
  'history-rolled-back': 'rollback';
  'server-shutdown': 'shutdown';
}

/** A `closing` frame and the WebSocket close code that follows it. */
export interface Closing {
  readonly frame: ClosingFrame;
  readonly closeCode: number;
}

/** Why a room closed, in words; the table's text covers every other closing. */
const ROOM_CLOSED_TEXT: Record<ClosingReasons['room-closed'], string> = {
  idle: 'The room was deleted after being idle.',
  expired: 'The room reached its maximum lifetime.',
};

/** The closing for a room that is gone: an ended room (owner or operator) has its own code. */
export function roomGone(reason: RoomGoneReason): Closing {
  return reason === 'ended' ? closing('room-ended', reason) : closing('room-closed', reason);
}

export function closing<C extends keyof ClosingReasons>(code: C, reason: ClosingReasons[C]): Closing {
  const spec = ERRORS[code];
  const message = code === 'room-closed' ? ROOM_CLOSED_TEXT[reason as ClosingReasons['room-closed']] : spec.message;
  return { frame: { type: 'closing', code, reason, message }, closeCode: spec.close };
}

/** The body of every REST error: the code's status unless the caller knows better (Fastify's own 4xx). */
export function restError(e: ChatError, statusCode: number = e.spec.status): RestError {
  return { statusCode, code: e.code, message: e.message, ...e.details };
}

/** A REST error body for a code with its table message. */
export function restErrorOf(code: ErrorCode): RestError {
  return restError(new ChatError(code));
}
