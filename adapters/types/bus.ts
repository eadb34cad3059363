/**
 * The event bus contract, apart from storage: room events between instances,
 * and the rate buckets instances share (adapters/types.ts re-exports them).
 */
import type { ChatMessage, PublicKey } from '../../protocol/frames.js';
import type { ActionEntry } from '../../protocol/moderation.js';
import type { RoomGoneReason } from './rooms.js';

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
