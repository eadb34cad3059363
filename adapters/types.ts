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
 * executable form of this file: every adapter runs them unchanged. The types
 * the calls take and answer live in ./types/ by concern (rooms, entries,
 * moderation, bus) and are all re-exported here: import them from this file.
 */
import type { PublicKey } from '../protocol/frames.js';
import type { EventBus } from './types/bus.js';
import type { AppendOptions, AppendResult, MessagePage, NewMessage, ReadQuery } from './types/entries.js';
import type { ActionResult, NewAction } from './types/moderation.js';
import type {
  BindRequest,
  BindResult,
  CreateRoomResult,
  EndRoomResult,
  ExpiredRoom,
  NewRoom,
  NotLive,
  PresenceEntry,
  PresenceRemoval,
  PresenceResult,
  Quota,
  RoomList,
  RoomListQuery,
  RoomLookup,
} from './types/rooms.js';

export type * from './types/bus.js';
export type * from './types/entries.js';
export type * from './types/moderation.js';
export type * from './types/rooms.js';

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

/** A storage adapter module's factory (`createMemoryStorage`, `createSqliteStorage`, `createRedisStorage`). */
export type StorageFactory<Options> = (options: Options) => Promise<Storage>;

/** An event bus module's factory (`createLocalEventBus`, `createRedisEventBus`). */
export type EventBusFactory<Options> = (options: Options) => Promise<EventBus>;
