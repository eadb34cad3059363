/**
 * The storage contract's rooms: creating one, looking it up, its names,
 * presence and listing (adapters/types.ts re-exports them all; the Storage
 * interface there says what each call does).
 */
import type { PublicKey } from '../../protocol/frames.js';
import type { RoomStaff } from '../../protocol/moderation.js';

/** `ended`: an operator (or the owner) ended the room before its deadlines. */
export type RoomGoneReason = 'expired' | 'idle' | 'ended';

export interface NewRoom {
  readonly id: string;
  readonly createdAt: number;
  /** Hard deadline (createdAt + max lifetime); the room is gone at this time whatever happens. */
  readonly expiresAt: number;
  /** The room is gone after this long with no live presence and no message. */
  readonly idleTimeoutMs: number;
  /** Who created it, as "issuer sub" for authenticated users or "ip:" and the address; counts against their quota. */
  readonly creator?: string;
  /** The key that owns the room (protocol/moderation.ts); absent: nobody can moderate it. */
  readonly ownerKey?: PublicKey;
  /** Joining requires an authenticated identity (see `bindName`'s subject). */
  readonly requireAuth?: boolean;
}

export interface Room extends NewRoom {
  /** Always present on a stored room: false when it was created without it. */
  readonly requireAuth: boolean;
  /** Owner, moderators, lock and slow mode as the room's stored actions left them. */
  readonly staff: RoomStaff;
  /** Last message, connect or disconnect; the idle clock starts here. */
  readonly lastActiveAt: number;
  /** Lowest sequence number still stored; lastSeq + 1 when no message is stored. */
  readonly firstSeq: number;
  /** Highest sequence number ever assigned; 0 before the first message. Never goes back. */
  readonly lastSeq: number;
  /** Live presence entries (connections), across all instances. */
  readonly connections: number;
  /** Distinct names with at least one live connection. */
  readonly memberCount: number;
}

export interface Quota {
  readonly creator: string;
  /** The creator may hold at most this many live rooms, counting the new one. */
  readonly maxRooms: number;
}

export type CreateRoomResult =
  | { readonly status: 'created'; readonly room: Room }
  | { readonly status: 'quota-exceeded'; readonly live: number }
  | { readonly status: 'exists' };

export type RoomLookup =
  | { readonly status: 'live'; readonly room: Room }
  | { readonly status: 'gone'; readonly reason: RoomGoneReason }
  | { readonly status: 'missing' };

/** A room's status when an operation cannot go on because the room is not live. */
export type NotLive = Exclude<RoomLookup, { status: 'live' }>;

export interface NameCandidate {
  /** The display name, already normalized. */
  readonly name: string;
  /** Its look-alike skeleton: two names with one skeleton count as one name. */
  readonly skeleton: string;
}

export interface BindRequest {
  readonly key: PublicKey;
  /** Tried in order; the first whose skeleton is free in the room is pinned. */
  readonly candidates: readonly NameCandidate[];
  /** Verified identity ("issuer sub") the key is bound to, for rooms that require auth. */
  readonly subject?: string;
}

export type BindResult =
  | {
      readonly status: 'bound';
      readonly name: string;
      /** True when this key already held the name (a rejoin). */
      readonly existing: boolean;
    }
  | { readonly status: 'names-taken' }
  /** The key is pinned to a name for another subject. */
  | { readonly status: 'subject-mismatch' }
  /** The key, or the subject where the room requires sign-in, is banned. */
  | { readonly status: 'banned' }
  /** The key was kicked and may rejoin at `until`. */
  | { readonly status: 'kicked'; readonly until: number }
  /** The room is locked and the key holds no name in it. */
  | { readonly status: 'locked' }
  | NotLive;

export interface PresenceEntry {
  /** Unique per connection across all instances. */
  readonly connId: string;
  readonly name: string;
  readonly key: PublicKey;
}

export type PresenceResult =
  | {
      readonly status: 'ok';
      /** True when this name had no other live connection before (a join event). */
      readonly first: boolean;
      readonly memberCount: number;
    }
  | NotLive;

export interface PresenceRemoval {
  readonly roomId: string;
  readonly name: string;
  readonly key: PublicKey;
  /** True when this was the name's last live connection (a leave event). */
  readonly last: boolean;
  readonly memberCount: number;
}

/** A page of live rooms, ordered by id. */
export interface RoomListQuery {
  /** Rooms with an id after this one (the previous page's `next`). */
  readonly after?: string;
  readonly limit: number;
}

export interface RoomList {
  readonly rooms: readonly Room[];
  /** The cursor of the next page; absent on the last page. */
  readonly next?: string;
}

export type EndRoomResult = { readonly status: 'ended' } | NotLive;

export interface ExpiredRoom {
  readonly roomId: string;
  readonly reason: RoomGoneReason;
}
