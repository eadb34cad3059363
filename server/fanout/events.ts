/**
 * The room events that travel between server instances, and the only module
 * that publishes or subscribes them: every other part of the server calls a
 * function here, so the channel is
 * named in one place: the EventBus given to the server (adapters/types.ts).
 *
 * Must never: carry anything a client did not already send or storage did
 * not already hold; events are notices, storage stays the truth.
 */
import type {
  EventBus,
  PresenceRemoval,
  RoomEventListener,
  RoomGoneReason,
  RoomSubscription,
} from '../../adapters/types.js';
import type { ChatMessage, PublicKey } from '../../protocol/frames.js';
import type { ActionEntry } from '../../protocol/moderation.js';

/**
 * Receives the events of the rooms added to the subscription: the hub adds a
 * room while it has local sockets. Room-wide events need no subscription to be
 * sent: an instance publishes a room's `closed` (its sweep expired the room)
 * or a dead instance's `leave` whether or not it serves the room, and the
 * instances that do serve it hear them.
 */
export function subscribeEvents(bus: EventBus, listener: RoomEventListener): Promise<RoomSubscription> {
  return bus.subscribe(listener);
}

/** A message storage accepted, for every instance's members of the room. */
export function publishMessage(bus: EventBus, roomId: string, message: ChatMessage): Promise<void> {
  return bus.publish(roomId, { kind: 'message', message });
}

/** A moderation action storage accepted: every instance delivers it, and closes a kicked or banned key's sockets. */
export function publishAction(bus: EventBus, roomId: string, entry: ActionEntry): Promise<void> {
  return bus.publish(roomId, { kind: 'action', entry });
}

/** A name got its first live socket in the room. */
export function publishJoin(
  bus: EventBus,
  roomId: string,
  member: { readonly name: string; readonly key: PublicKey },
  memberCount: number,
): Promise<void> {
  return bus.publish(roomId, { kind: 'presence', event: 'join', name: member.name, key: member.key, memberCount });
}

/** A name lost its last live socket in the room. */
export function publishLeave(bus: EventBus, removed: PresenceRemoval): Promise<void> {
  const { roomId, name, key, memberCount } = removed;
  return bus.publish(roomId, { kind: 'presence', event: 'leave', name, key, memberCount });
}

/** A room was deleted; its members everywhere are closed. */
export function publishClosed(bus: EventBus, roomId: string, reason: RoomGoneReason): Promise<void> {
  return bus.publish(roomId, { kind: 'closed', reason });
}

/** A socket is typing: for the room's other sockets, never stored. */
export function publishTyping(bus: EventBus, roomId: string, name: string, connId: string): Promise<void> {
  return bus.publish(roomId, { kind: 'typing', name, connId });
}
