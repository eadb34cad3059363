/**
 * The transcript: one JSON file holding a room's retained history, its chain
 * and the server's signed head, which anyone can check offline with the
 * verifier (protocol/verify-transcript.ts), the `tiny-chat verify` command or
 * the /verify page. Defined once here for the server (which exports it), the
 * widget (which saves and renders it) and the verifiers.
 *
 * Also the two more signed byte strings the transcript needs, built like
 * canonical.ts (a JSON array with a versioned domain tag, strings and safe
 * integers only): the server's signed head, and a member's request to export.
 *
 * The schema is TypeBox, i.e. JSON Schema: `TranscriptSchema` is the JSON
 * schema of the file. The widget imports only the types (`import type`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { PublicKeySchema, ROOM_ID_PATTERN, type Limits } from './frames.js';
import { ModerationActionSchema } from './moderation.js';

/** The value of `format`: a verifier refuses a file of a format it does not know. */
export const TRANSCRIPT_FORMAT = 'tiny-chat-transcript/1';
export { EXPORT_TAG, HEAD_TAG } from './transcript-bytes.js';
/** Where a server publishes its key, protocol version and limits. */
export const WELL_KNOWN_PATH = '/.well-known/tiny-chat.json';

const open = { additionalProperties: true } as const;
const closed = { additionalProperties: false } as const;
const Seq = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Time = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** A base64url SHA-256 link: 32 bytes, 43 characters. */
const Link = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });
const B64URL = Type.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 200 });

/** The server's own key: Ed25519 only (the server is not a browser, it always has it). */
export const ServerKeySchema = Type.Object({ alg: Type.Literal('Ed25519'), pub: B64URL }, closed);
export type ServerKey = Static<typeof ServerKeySchema>;

/** The server's word on a room's history: its last seq and that message's link, at a time, signed. */
export const SignedHeadSchema = Type.Object(
  {
    roomId: Type.String({ pattern: ROOM_ID_PATTERN }),
    /** The room's last seq; 0 before the first message. */
    seq: Seq,
    /** The `chain` of message `seq`; the genesis link when `seq` is 0. */
    chain: Link,
    /** Server time of signing, ms since the epoch. */
    time: Time,
    key: ServerKeySchema,
    /** Ed25519 over headSigningBytes, base64url. */
    sig: B64URL,
  },
  closed,
);
export type SignedHead = Static<typeof SignedHeadSchema>;

/**
 * Every entry of the room's order has a kind, a seq and a link. The
 * envelope accepts any kind, so that a verifier meeting one it does not know
 * reports it instead of refusing the whole file; each kind's own fields are
 * checked by that kind's schema.
 */
export const EntryEnvelopeSchema = Type.Object({ kind: Type.String({ maxLength: 64 }), seq: Seq, chain: Link }, open);
export type EntryEnvelope = Static<typeof EntryEnvelopeSchema>;

const Name = Type.String({ minLength: 1, maxLength: 256 });

/**
 * The fields every signed entry has (messages, actions, tombstones): who
 * signed it, when, its signature, its link, and the server's receive time
 * `at` (informative only: no one signed it and the chain does not cover it).
 */
const signedEntry = {
  seq: Seq,
  id: Type.String({ minLength: 1, maxLength: 64 }),
  name: Name,
  key: PublicKeySchema,
  ts: Time,
  sig: B64URL,
  chain: Link,
  at: Time,
};

/** A member's message, as stored and ordered (ChatMessage, with its kind). */
export const MessageEntrySchema = Type.Object(
  { kind: Type.Literal('message'), ...signedEntry, text: Type.String({ maxLength: 65536 }) },
  closed,
);
export type MessageEntry = Static<typeof MessageEntrySchema>;

/**
 * A moderation action in the room's order (moderation.ts ActionEntry): `sig`
 * is the actor's over moderationSigningBytes, `chain` over actionChainBytes.
 */
export const ActionEntrySchema = Type.Object(
  { kind: Type.Literal('action'), ...signedEntry, action: ModerationActionSchema },
  closed,
);
export type ActionEntryFile = Static<typeof ActionEntrySchema>;

/**
 * What is left of a removed message (moderation.ts RemovedEntry): no text, its
 * own link unchanged, and the action that removed it.
 */
export const RemovedEntrySchema = Type.Object(
  {
    kind: Type.Literal('removed'),
    ...signedEntry,
    removedBy: Type.Object({ seq: Seq, name: Name, key: PublicKeySchema }, closed),
  },
  closed,
);
export type RemovedEntryFile = Static<typeof RemovedEntrySchema>;

/** Who could moderate the room just before the file's first entry. */
export const TranscriptStaffSchema = Type.Object(
  {
    /** The owner's key; null for a room created without one. */
    owner: Type.Union([PublicKeySchema, Type.Null()]),
    moderators: Type.Array(PublicKeySchema, { maxItems: 10_000 }),
  },
  closed,
);
export type TranscriptStaff = Static<typeof TranscriptStaffSchema>;

export const TranscriptSchema = Type.Object(
  {
    format: Type.Literal(TRANSCRIPT_FORMAT),
    room: Type.Object({ roomId: Type.String({ pattern: ROOM_ID_PATTERN }), createdAt: Time }, closed),
    /** The room's genesis link, from room id and creation time (protocol/chain.ts). */
    genesis: Link,
    /** The first seq held (lastSeq + 1 when none is). */
    firstSeq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    lastSeq: Seq,
    /**
     * The link the first entry extends: the genesis link when `firstSeq` is 1;
     * null when the history was trimmed and the server no longer holds the
     * trimmed entry's link, so the first entry's own link is taken as given.
     */
    prev: Type.Union([Link, Type.Null()]),
    /**
     * The owner and the moderators as of the first entry; the verifier replays
     * promote and demote from there. Absent (a file from before moderation):
     * nobody could moderate, so any action entry fails.
     */
    staff: Type.Optional(TranscriptStaffSchema),
    /** Ascending by seq, firstSeq..lastSeq. */
    entries: Type.Array(EntryEnvelopeSchema),
    head: SignedHeadSchema,
    /** When the server wrote the file, ms since the epoch. */
    exportedAt: Time,
  },
  closed,
);
export type Transcript = Omit<Static<typeof TranscriptSchema>, 'entries'> & {
  readonly entries: readonly (MessageEntry | EntryEnvelope)[];
};

/** What `GET /.well-known/tiny-chat.json` answers. */
export interface WellKnown {
  readonly v: number;
  readonly key: ServerKey;
  /** As in `hello`. */
  readonly limits: Limits;
  /** The path of the offline verifier page on this server. */
  readonly verify: string;
  /** The transcript format this server exports. */
  readonly transcript: typeof TRANSCRIPT_FORMAT;
}

/** The body of `POST /rooms/{roomId}/transcript`: a member's key and its signature over exportSigningBytes. */
export const ExportRequestSchema = Type.Object(
  {
    key: PublicKeySchema,
    /** Client time, ms; must be within the server's clock skew. */
    time: Time,
    sig: B64URL,
  },
  closed,
);
export type ExportRequest = Static<typeof ExportRequestSchema>;

export { exportSigningBytes, headSigningBytes } from './transcript-bytes.js';
