/**
 * Every frame on the /ws socket and every REST body, as TypeBox schemas (the
 * runtime check) and the static types derived from them (the compile-time
 * check). docs/protocol.md is the prose form of this file.
 *
 * The widget imports only the types from here (`import type`), so TypeBox
 * never reaches the browser bundle.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_MEMBER_PAGE, MAX_WISHED_NAME_LENGTH } from './limits.js';
import { POW_CHALLENGE_PATTERN, POW_SOLUTION_PATTERN } from './pow.js';
import { B64URL_PATTERN, MESSAGE_ID_PATTERN, PublicKeySchema, RoomIdSchema, type PublicKey } from './keys.js';
import {
  ModerateFrameSchema,
  OwnerClaimSchema,
  type ActionEntry,
  type ModerateFrame,
  type RemovedEntry,
  type RoomStaff,
} from './moderation.js';

export * from './keys.js';

const B64URL = B64URL_PATTERN;

/**
 * 2: `welcome` lists at most MEMBER_PAGE members, `members` pages the rest, `presence` frames are coalesced.
 * 3: rooms have an owner and moderators (moderation.ts): the `moderate` frame, `moderation` frames,
 * action and removed entries among `messages`, and the staff fields in `room`.
 */
export const PROTOCOL_VERSION = 3;

const opts = { additionalProperties: false } as const;

const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

// ---------- client to server ----------

export const JoinFrameSchema = Type.Object(
  {
    type: Type.Literal('join'),
    roomId: RoomIdSchema,
    name: Type.String({ minLength: 1, maxLength: MAX_WISHED_NAME_LENGTH }),
    key: PublicKeySchema,
    /** Signature over the join signing bytes with the server's nonce. */
    proof: Type.String({ pattern: B64URL, maxLength: 200 }),
    /** The last sequence number this client holds, to resume without gaps. */
    since: Type.Optional(Seq),
    /** The `chain` of the message at `since`, so the server can tell a rewritten history from a continued one. */
    chain: Type.Optional(Type.String({ pattern: B64URL, maxLength: 64 })),
    /** An OpenID Connect access token (compact JWT); required by rooms created with `requireAuth`. */
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 8192 })),
    /** A proof-of-work solution over the join work bytes (protocol/pow.ts), when `hello` asks for one. */
    pow: Type.Optional(Type.String({ pattern: POW_SOLUTION_PATTERN })),
  },
  opts,
);
export type JoinFrame = Static<typeof JoinFrameSchema>;

export const SendFrameSchema = Type.Object(
  {
    type: Type.Literal('send'),
    roomId: RoomIdSchema,
    id: Type.String({ pattern: MESSAGE_ID_PATTERN }),
    ts: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    // The code-point limit is checked after the schema, with its own error
    // code; this bound only keeps the schema check cheap.
    text: Type.String({ maxLength: 16384 }),
    /** Optional in the schema so that a missing one gets its own error code. */
    sig: Type.Optional(Type.String({ pattern: B64URL, maxLength: 200 })),
  },
  opts,
);
export type SendFrame = Static<typeof SendFrameSchema>;

export const HistoryFrameSchema = Type.Object(
  {
    type: Type.Literal('history'),
    /** Return messages with a sequence number below this one. */
    before: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  opts,
);
export type HistoryFrame = Static<typeof HistoryFrameSchema>;

/** "I am typing": never answered, never stored; the server forwards at most one per TYPING_INTERVAL_MS. */
export const TypingFrameSchema = Type.Object({ type: Type.Literal('typing') }, opts);
export type TypingFrame = Static<typeof TypingFrameSchema>;

/** A page of the member list, in name order, after the name `after` (from the start without it). */
export const MembersFrameSchema = Type.Object(
  {
    type: Type.Literal('members'),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_WISHED_NAME_LENGTH })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_MEMBER_PAGE })),
  },
  opts,
);
export type MembersFrame = Static<typeof MembersFrameSchema>;

export const CLIENT_FRAME_SCHEMAS = {
  join: JoinFrameSchema,
  send: SendFrameSchema,
  history: HistoryFrameSchema,
  typing: TypingFrameSchema,
  members: MembersFrameSchema,
  moderate: ModerateFrameSchema,
} as const satisfies Record<string, TSchema>;

export type ClientFrameType = keyof typeof CLIENT_FRAME_SCHEMAS;
export type ClientFrame = JoinFrame | SendFrame | HistoryFrame | TypingFrame | MembersFrame | ModerateFrame;

// ---------- server to client (types only: the server builds them) ----------

export interface Member {
  readonly name: string;
  readonly key: PublicKey;
}

/** A stored, ordered message as every client sees it. */
export interface ChatMessage {
  readonly seq: number;
  readonly id: string;
  readonly name: string;
  readonly ts: number;
  readonly text: string;
  readonly sig: string;
  readonly key: PublicKey;
  /** Server time when storage accepted the message, ms since the epoch. */
  readonly at: number;
  /** SHA-256 link over the previous message's chain and this record (protocol/chain.ts). */
  readonly chain: string;
}

/** One entry of the room's order: a message, a moderation action, or what is left of a removed message. */
export type Entry = ChatMessage | ActionEntry | RemovedEntry;

/** Messages carry no `kind`; actions and tombstones do. */
export const isMessage = (e: Entry): e is ChatMessage => !('kind' in e);

export interface RoomInfo extends RoomStaff {
  readonly roomId: string;
  readonly createdAt: number;
  /** Hard deadline: createdAt + max lifetime. */
  readonly expiresAt: number;
  readonly idleTimeoutMs: number;
  /** When the room is deleted if nobody connects or sends; null while members are connected. */
  readonly idleExpiresAt: number | null;
  readonly memberCount: number;
  /** Joining needs a token from a configured OpenID issuer. */
  readonly requireAuth: boolean;
}

export interface Limits {
  readonly maxTextLength: number;
  readonly maxFrameBytes: number;
  readonly historyCap: number;
  readonly clockSkewMs: number;
  readonly historyPage: number;
}

export interface HelloFrame {
  readonly type: 'hello';
  readonly v: typeof PROTOCOL_VERSION;
  readonly nonce: string;
  readonly serverTime: number;
  readonly limits: Limits;
  /** Proof-of-work difficulty in leading zero bits, when the server asks for work (protocol/pow.ts); absent when off. */
  readonly pow?: number;
}

/**
 * How a join with `since` was answered: `resumed` continues what the client
 * holds; every other outcome is a fresh snapshot. `rewritten`: the message at
 * `since` no longer has the client's `chain`, so storage lost or replaced what
 * the client saw.
 */
export type ResumeOutcome = 'fresh' | 'resumed' | 'history-gone' | 'ahead' | 'rewritten';

export interface WelcomeFrame {
  readonly type: 'welcome';
  readonly room: RoomInfo;
  readonly name: string;
  /** The first MEMBER_PAGE members in name order; `room.memberCount` is the total, `members` frames page the rest. */
  readonly members: readonly Member[];
  /** Ascending; exactly the missed entries when resumed, else the latest page. */
  readonly messages: readonly Entry[];
  /** Lowest sequence number still stored, or lastSeq + 1 when the history is empty. */
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** 'resumed': messages are exactly those after `since`; otherwise a fresh snapshot and why. */
  readonly resume: ResumeOutcome;
}

export interface MessageFrame extends ChatMessage {
  readonly type: 'message';
}

/** A moderation action just stored in the room's order; clients apply it (a `remove` turns its target into a tombstone). */
export interface ModerationFrame {
  readonly type: 'moderation';
  readonly entry: ActionEntry;
}

export interface AckFrame {
  readonly type: 'ack';
  readonly id: string;
  readonly seq: number;
  readonly at: number;
  /** True when this id was already stored with the same content (a retry). */
  readonly duplicate: boolean;
}

export interface HistoryPageFrame {
  readonly type: 'history';
  readonly before: number;
  readonly messages: readonly Entry[];
  readonly firstSeq: number;
}

/**
 * What changed in the member list since the last `presence` frame (or the
 * welcome): at most one per room per presence tick, each name at most once,
 * and never empty.
 */
export interface PresenceFrame {
  readonly type: 'presence';
  /** Names that got their first live connection, in name order. */
  readonly joined: readonly Member[];
  /** Names that lost their last one, in name order. */
  readonly left: readonly Member[];
  readonly memberCount: number;
}

/** The answer to a `members` frame: a slice of the list the socket holds, in name order. */
export interface MembersPageFrame {
  readonly type: 'members';
  /** The request's `after`, or null for the first page. */
  readonly after: string | null;
  readonly members: readonly Member[];
  readonly memberCount: number;
  /** The `after` of the next page, or null when this page ends the list. */
  readonly next: string | null;
}

/** Another socket in the room is typing; shown for TYPING_TTL_MS after the last one. */
export interface TypingNoticeFrame {
  readonly type: 'typing';
  /** The typist's server-made name in the room. */
  readonly name: string;
}

export interface ErrorFrame {
  readonly type: 'error';
  readonly code: string;
  readonly category: string;
  readonly message: string;
  readonly temporary: boolean;
  /** The client frame this answers: the message id for `send`, else the frame type. */
  readonly ref?: string;
  readonly retryAfterMs?: number;
}

export interface ClosingFrame {
  readonly type: 'closing';
  readonly code: string;
  /** `ended`: the owner or an operator ended the room; `kicked`, `banned`: a moderator removed this member. */
  readonly reason: 'expired' | 'idle' | 'ended' | 'kicked' | 'banned' | 'shutdown' | 'resync' | 'rollback';
  readonly message: string;
}

export type ServerFrame =
  | HelloFrame
  | WelcomeFrame
  | MessageFrame
  | ModerationFrame
  | AckFrame
  | HistoryPageFrame
  | PresenceFrame
  | MembersPageFrame
  | TypingNoticeFrame
  | ErrorFrame
  | ClosingFrame;

// ---------- REST ----------

/** The optional JSON body of `POST /rooms`; the server checks it against this schema. */
export const CreateRoomRequestSchema = Type.Object(
  {
    /** Joining needs a token from a configured issuer; only a signed-in creator may ask for it. */
    requireAuth: Type.Optional(Type.Boolean()),
    /** The creator's key and proof (moderation.ts): that key owns the room and may moderate it. */
    owner: Type.Optional(OwnerClaimSchema),
    /** The work a `proof-of-work-required` answer asked for: its challenge and a solution. */
    pow: Type.Optional(
      Type.Object(
        {
          challenge: Type.String({ pattern: POW_CHALLENGE_PATTERN }),
          solution: Type.String({ pattern: POW_SOLUTION_PATTERN }),
        },
        opts,
      ),
    ),
  },
  opts,
);
export type CreateRoomRequest = Static<typeof CreateRoomRequestSchema>;

export interface CreateRoomResponse extends RoomInfo {
  readonly maxLifetimeMs: number;
}

/** One live room in an operator's listing (`GET /rooms`, with the admin token). */
export interface OperatorRoom extends RoomInfo {
  /** Live connections, across instances; `memberCount` counts each name once. */
  readonly connections: number;
  /** Who created it (the quota holder): "issuer subject" for a signed-in creator, "ip:" and the address for an anonymous one. */
  readonly creator?: string;
}

/** `GET /rooms`: a page of live rooms by id; `next` is the `after` of the next page, absent on the last. */
export interface RoomListResponse {
  readonly rooms: readonly OperatorRoom[];
  readonly next?: string;
}

/** Every REST error body (server/wire/build.ts); some codes add fields, as in an `error` frame. */
export interface RestError {
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
}
