/**
 * Room ownership and moderation, defined once for widget, server and any
 * third-party client or verifier.
 *
 * Every moderation action is signed by the owner's or a moderator's key over
 * canonical bytes with its own domain tag (canonical.ts rules: a JSON array of
 * strings and safe integers). The server checks the signature and the actor's
 * standing, then stores the action in the room's one order with its own seq
 * and chain link, so history, resume and transcripts carry it and any member
 * can check it against the owner's key from `welcome`.
 *
 * A removed message stays in the order as a tombstone: it keeps its seq, id,
 * name, key, ts, sig and chain (so later links still verify and a client's
 * resume point is unchanged), loses its text, and names the action that
 * removed it. The remove action's signed bytes include the target's chain
 * link, so the remover vouches for exactly what was there.
 */
import { Type, type Static } from '@sinclair/typebox';
import { B64URL_PATTERN as B64URL, MESSAGE_ID_PATTERN, PublicKeySchema, RoomIdSchema, type PublicKey } from './keys.js';

/** The longest kick: a kicked key may not rejoin for this long at most. */
export const MAX_KICK_MS = 24 * 60 * 60_000;
/** The longest slow-mode interval between one member's messages. */
export const MAX_SLOW_MODE_MS = 60 * 60_000;

const opts = { additionalProperties: false } as const;
const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
const Link = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

/** Each action, by `act`. Moderators may do all but promote, demote and end, which are the owner's. */
export const ModerationActionSchema = Type.Union([
  /** Replace message `seq` (whose link is `chain`) with a tombstone, for everyone, and erase its text. */
  Type.Object({ act: Type.Literal('remove'), seq: Seq, chain: Link }, opts),
  /** Close the target's sockets; the key may not rejoin for `forMs`. */
  Type.Object(
    { act: Type.Literal('kick'), target: PublicKeySchema, forMs: Type.Integer({ minimum: 1, maximum: MAX_KICK_MS }) },
    opts,
  ),
  /** Close the target's sockets for good: its key, and its sign-in identity where the room requires sign-in. */
  Type.Object({ act: Type.Literal('ban'), target: PublicKeySchema }, opts),
  Type.Object({ act: Type.Literal('unban'), target: PublicKeySchema }, opts),
  /** Make the target a moderator (owner only). */
  Type.Object({ act: Type.Literal('promote'), target: PublicKeySchema }, opts),
  /** Revoke a moderator (owner only); their earlier signed frames are refused from now on. */
  Type.Object({ act: Type.Literal('demote'), target: PublicKeySchema }, opts),
  /** No new names may join; members who hold a name may rejoin. */
  Type.Object({ act: Type.Literal('lock') }, opts),
  Type.Object({ act: Type.Literal('unlock') }, opts),
  /** At least `intervalMs` between one member's messages; 0 turns slow mode off. */
  Type.Object({ act: Type.Literal('slow'), intervalMs: Type.Integer({ minimum: 0, maximum: MAX_SLOW_MODE_MS }) }, opts),
  /** Delete the room now, as if it had expired (owner only). Not stored: the room is gone. */
  Type.Object({ act: Type.Literal('end') }, opts),
]);
export type ModerationAction = Static<typeof ModerationActionSchema>;
export type ModerationAct = ModerationAction['act'];

/** Acts a moderator may not do; only the owner. */
export const OWNER_ONLY_ACTS: ReadonlySet<ModerationAct> = new Set<ModerationAct>(['promote', 'demote', 'end']);

/** Client to server: one signed action. Answered by `ack` (with the action's seq; 0 for `end`) or `error` with `ref` = id. */
export const ModerateFrameSchema = Type.Object(
  {
    type: Type.Literal('moderate'),
    roomId: RoomIdSchema,
    /** Unique per actor and room, like a message id; a retry with the same id is a duplicate. */
    id: Type.String({ pattern: MESSAGE_ID_PATTERN }),
    ts: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    action: ModerationActionSchema,
    sig: Type.String({ pattern: B64URL, maxLength: 200 }),
  },
  opts,
);
export type ModerateFrame = Static<typeof ModerateFrameSchema>;

/** The owner's proof at room creation: a signature by `key` over ownerSigningBytes(ts). */
export const OwnerClaimSchema = Type.Object(
  {
    key: PublicKeySchema,
    ts: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    proof: Type.String({ pattern: B64URL, maxLength: 200 }),
  },
  opts,
);
export type OwnerClaim = Static<typeof OwnerClaimSchema>;

/** Who may moderate a room, and its current rules; in `welcome.room` and `GET /rooms/:id`. */
export interface RoomStaff {
  /** The creator's key; null for a room created without one (nobody can moderate it). */
  readonly owner: PublicKey | null;
  readonly moderators: readonly PublicKey[];
  readonly locked: boolean;
  /** 0 when slow mode is off. */
  readonly slowModeMs: number;
}

/** A stored action in the room's order (`welcome`, `history`, the live `moderation` frame, transcripts). */
export interface ActionEntry {
  readonly kind: 'action';
  readonly seq: number;
  readonly id: string;
  /** The actor's name in the room. */
  readonly name: string;
  readonly key: PublicKey;
  readonly ts: number;
  readonly action: ModerationAction;
  readonly sig: string;
  readonly at: number;
  readonly chain: string;
}

/** What is left of a removed message: everything but its text, and who removed it. */
export interface RemovedEntry {
  readonly kind: 'removed';
  readonly seq: number;
  readonly id: string;
  readonly name: string;
  readonly key: PublicKey;
  readonly ts: number;
  readonly sig: string;
  readonly at: number;
  /** The original link, unchanged: the chain after it still verifies. */
  readonly chain: string;
  /** The seq of the `remove` action, and its actor. */
  readonly removedBy: { readonly seq: number; readonly name: string; readonly key: PublicKey };
}

// The bytes actors sign and chain links cover: in moderation-bytes.ts, free of the schema library, so
// the widget's lazy chunk can check actions without bundling it.
export * from './moderation-bytes.js';
