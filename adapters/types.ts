/**
 * The two adapter contracts. `Storage` holds everything that must stay
 * consistent across server instances (rooms, name-to-key pins, presence,
 * sequence assignment, history, expiry, quotas). `EventBus` carries room
 * events between instances and nothing else: like a Socket.IO adapter it
 * broadcasts and never stores. A lost message event costs only latency (a
 * server reads missed sequence numbers back from storage).
 *
 * Every method is async and atomic on its own: an adapter must never let two
 * concurrent calls observe each other's half-done work, whether the callers
 * are in one process or in many processes sharing one backend. Time is always
 * passed in (`now`, ms since the epoch) so that expiry is testable with a fake
 * clock and every instance agrees on what "expired" means.
 *
 * test/adapters/contract.ts and test/adapters/bus-contract.ts are the
 * executable form of this file: every adapter runs them unchanged.
 */
import type { ChatMessage, Entry, PublicKey } from '../protocol/frames.js';
import type { ActionEntry, ModerationAction, RemovedEntry, RoomStaff } from '../protocol/moderation.js';

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

export interface NewMessage {
  readonly id: string;
  readonly name: string;
  readonly ts: number;
  readonly text: string;
  readonly sig: string;
  readonly key: PublicKey;
  /** Server receive time; becomes ChatMessage.at. */
  readonly at: number;
}

export interface AppendOptions {
  /** Keep at most this many messages; older ones are deleted in the same atomic step. */
  readonly cap: number;
  readonly now: number;
  /**
   * A (name, id) pair must be recognized as a duplicate while its message is
   * still stored, and also for this long after it was stored even if the cap
   * removed it, so a replay of a trimmed message is still caught.
   */
  readonly dedupeWindowMs: number;
}

/** A message as its acknowledgement needs it: its `chain` is absent once the cap trimmed the original. */
export type Acknowledged = Omit<ChatMessage, 'chain'> & { readonly chain?: string };

export type AppendResult =
  | { readonly status: 'stored'; readonly message: ChatMessage }
  /** Same (name, id) with the same ts and text: the original, not stored again. */
  | { readonly status: 'duplicate'; readonly message: Acknowledged }
  /** Same (name, id) with other content. */
  | { readonly status: 'conflict' }
  | NotLive;

/** A signed moderation action as the server verified it, before storage orders it. */
export interface NewAction {
  readonly id: string;
  /** The actor's name in the room. */
  readonly name: string;
  readonly key: PublicKey;
  readonly ts: number;
  /** `end` is never stored: the server calls endRoom after checking the owner's signature. */
  readonly action: Exclude<ModerationAction, { act: 'end' }>;
  readonly sig: string;
  readonly at: number;
}

/**
 * The outcome of appendAction. The actor's standing is checked in the same
 * atomic step that stores the action, so a moderator demoted a moment ago
 * cannot slip one more action in.
 */
export type ActionResult =
  | {
      readonly status: 'stored';
      readonly entry: ActionEntry;
      /** For `remove`: the tombstone that replaced the message. */
      readonly removed?: RemovedEntry;
    }
  /** Same (name, id) with the same content: the original action. */
  | { readonly status: 'duplicate'; readonly entry: Omit<ActionEntry, 'chain'> & { readonly chain?: string } }
  | { readonly status: 'conflict' }
  /**
   * The actor may not do this: not the owner or a moderator now, a moderator
   * doing an owner-only act, or a moderator acting on the owner or another
   * moderator (only the owner may).
   */
  | { readonly status: 'forbidden' }
  /** `remove` names no stored message with that chain link (trimmed, already removed, or never there). */
  | { readonly status: 'no-target' }
  | NotLive;

export interface ReadQuery {
  /** Messages with seq > after, oldest first (resume). */
  readonly after?: number;
  /** Messages with seq < before, the newest `limit` of them (paging back). */
  readonly before?: number;
  readonly limit: number;
}

export interface MessagePage {
  /** Always ascending by seq, contiguous: messages, actions and tombstones. */
  readonly messages: readonly Entry[];
  readonly firstSeq: number;
  readonly lastSeq: number;
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

/**
 * The server's own signing key (docs/protocol.md, "The server key"), as
 * storage keeps it: opaque strings to the adapter, which only has to keep the
 * first one offered.
 */
export interface ServerKeyRecord {
  readonly alg: 'Ed25519';
  /** The raw public key, base64url. */
  readonly pub: string;
  /** The private key as PKCS#8 DER, base64url. */
  readonly secret: string;
}

/** What travels between server instances for one room. */
export type RoomEvent =
  | { readonly kind: 'message'; readonly message: ChatMessage }
  /** A stored action; for a kick or ban, each instance closes the target's sockets it holds. */
  | { readonly kind: 'action'; readonly entry: ActionEntry }
  | {
      readonly kind: 'presence';
      readonly event: 'join' | 'leave';
      readonly name: string;
      readonly key: PublicKey;
      readonly memberCount: number;
    }
  | { readonly kind: 'closed'; readonly reason: RoomGoneReason }
  /** Ephemeral: forwarded to the room's other sockets, never stored. */
  | { readonly kind: 'typing'; readonly name: string; readonly connId: string };

export type RoomEventListener = (roomId: string, event: RoomEvent) => void;

export interface Storage {
  /**
   * True when server instances in other processes may use the same data
   * (Redis). Their events then need a bus that reaches those processes too,
   * so a server given such a storage and no bus refuses to start.
   */
  readonly shared: boolean;

  /** Creates a room; with a quota, the count and the insert are one atomic step. */
  createRoom(room: NewRoom, quota?: Quota): Promise<CreateRoomResult>;

  /** A room past either deadline at `now` is reported gone even before expireRooms runs. */
  getRoom(roomId: string, now: number): Promise<RoomLookup>;

  /**
   * Pins a name to a key for the room's lifetime. A key that already holds a
   * name gets it back; no other key can ever take a pinned skeleton.
   */
  bindName(roomId: string, req: BindRequest, now: number): Promise<BindResult>;

  /** Records a live connection until `now + ttlMs`; refreshing the same connId extends it. */
  addPresence(roomId: string, entry: PresenceEntry, now: number, ttlMs: number): Promise<PresenceResult>;

  /**
   * Extends live connections (a heartbeat). Returns the ids it could not
   * extend: unknown, already expired or swept, or in a room that is gone, so
   * that an instance whose sockets outlived their entries (a stalled event
   * loop, a clock jump) can add them back.
   */
  refreshPresence(roomId: string, connIds: readonly string[], now: number, ttlMs: number): Promise<string[]>;

  /** Removes a connection; undefined when it was not there (already removed or swept). */
  removePresence(roomId: string, connId: string, now: number): Promise<PresenceRemoval | undefined>;

  /** Removes connections whose ttl passed (their instance died); each removal once. */
  sweepPresence(now: number): Promise<PresenceRemoval[]>;

  /** Distinct live members, each once however many connections it has, ordered by name. */
  listMembers(roomId: string, now: number): Promise<{ name: string; key: PublicKey }[]>;

  /**
   * Assigns the room's next sequence number, computes the message's `chain`
   * over the room's last link (the genesis link for the first message, kept
   * through trimming), and stores both, all in one atomic step.
   */
  appendMessage(roomId: string, message: NewMessage, opts: AppendOptions): Promise<AppendResult>;

  /**
   * Checks the actor's standing (Room.staff, OWNER_ONLY_ACTS), assigns the
   * next seq and chain link (protocol/moderation.ts actionChainBytes), stores
   * the action and applies it, all in one atomic step. Applying: `remove`
   * replaces the message with a tombstone and erases its text from storage;
   * `kick` and `ban` record the key (a ban also the subject the key was bound
   * with) so bindName refuses it; the rest update Room.staff. Actions count
   * against the history cap like messages and share their dedupe window.
   */
  appendAction(roomId: string, action: NewAction, opts: AppendOptions): Promise<ActionResult>;

  readMessages(roomId: string, query: ReadQuery, now: number): Promise<MessagePage | NotLive>;

  /**
   * Deletes every room past a deadline at `now`, with its messages, pins and
   * presence, and remembers why (so later lookups say 'gone'). Each room is
   * returned by exactly one caller, even with many instances sweeping.
   */
  expireRooms(now: number): Promise<ExpiredRoom[]>;

  /**
   * Deletes a live room now, as expireRooms does at a deadline, with reason
   * `ended` (later lookups say gone, 'ended'). Of concurrent calls, one ends it.
   */
  endRoom(roomId: string, now: number): Promise<EndRoomResult>;

  /**
   * Live rooms at `now`, by id, for operators: a page of at most `limit`
   * rooms with ids after `after`. Not on any hot path: an adapter may scan
   * every room it holds to answer.
   */
  listRooms(query: RoomListQuery, now: number): Promise<RoomList>;

  /**
   * Keeps the server's signing key with the data it signs for: stores
   * `candidate` unless a key is already kept, and returns the kept one. Two
   * instances offering different candidates at once both get the same one
   * back; a restart gets the stored one, as long as the data survives.
   */
  serverKey(candidate: ServerKeyRecord): Promise<ServerKeyRecord>;

  /** Resolves when the backend answers; rejects otherwise (for /healthz). */
  ping(): Promise<void>;

  close(): Promise<void>;
}

/**
 * What one subscriber receives: the events of the rooms it added, and no
 * other. A server adds a room when its first local socket joins and removes
 * it when its last one leaves, so an instance hears only the rooms it serves.
 */
export interface RoomSubscription {
  /**
   * Starts receiving a room's events. Resolves once the bus is listening: every
   * event published after that is delivered (a join reads its snapshot only
   * then, so nothing falls between the two). Adding a room twice is one add.
   */
  add(roomId: string): Promise<void>;
  /** Stops receiving a room's events; removing a room not added does nothing. */
  remove(roomId: string): Promise<void>;
  /** Removes every room and the listener. */
  close(): Promise<void>;
}

export interface EventBus {
  /**
   * Delivers a room event to every subscriber that added the room, on every
   * instance the bus reaches, in publish order per publisher. Publishing needs
   * no subscription: an instance with no socket in a room (a sweep that
   * expired it) still tells the instances that serve it.
   */
  publish(roomId: string, event: RoomEvent): Promise<void>;

  /** Registers a listener for the rooms it will add to the returned subscription. */
  subscribe(listener: RoomEventListener): Promise<RoomSubscription>;

  /** Stops every subscription and releases the bus's connections; publishing after it rejects. */
  close(): Promise<void>;
}

/**
 * Rate-limit buckets that many server instances share (Redis), so that a
 * client cannot multiply its budget by spreading over instances. A server
 * without one keeps its buckets in its own memory. Time is the store's own
 * clock, one for every instance.
 */
export interface RateStore {
  /**
   * Spends one token of `key`'s bucket, which holds up to `burst` and gains
   * `perSecond` a second, and resolves 0; or resolves the milliseconds until a
   * token is there, spending nothing. Atomic across instances.
   */
  take(key: string, perSecond: number, burst: number): Promise<number>;
  /** Counts one hit in `key`'s fixed window of `windowMs`: the hits in it so far, and the ms until it ends. */
  hit(key: string, windowMs: number): Promise<{ readonly count: number; readonly ttlMs: number }>;
  /** Releases the store's connection; the caller owns it, not the server. */
  close(): Promise<void>;
}

/** A storage adapter module's factory (`createMemoryStorage`, `createSqliteStorage`, `createRedisStorage`). */
export type StorageFactory<Options> = (options: Options) => Promise<Storage>;

/** An event bus module's factory (`createLocalEventBus`, `createRedisEventBus`). */
export type EventBusFactory<Options> = (options: Options) => Promise<EventBus>;
