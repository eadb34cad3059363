/**
 * The room events that travel between server instances, and the only module
 * that publishes or subscribes them: every other part of the server calls a
 * function here, so the channel (today the Storage's publish/subscribe) is
 * named in one place.
 *
 * Must never: carry anything a client did not already send or storage did
 * not already hold; events are notices, storage stays the truth.
 */
import type { PresenceRemoval, RoomEventListener, RoomGoneReason, Storage } from '../../adapters/types.js';
import type { ChatMessage, PublicKey } from '../../protocol/frames.js';

/** Receives the events of every room; resolves to the function that stops it. */
export function subscribeEvents(storage: Storage, listener: RoomEventListener): Promise<() => Promise<void>> {
  return storage.subscribe(listener);
}

/** A message storage accepted, for every instance's members of the room. */
export function publishMessage(storage: Storage, roomId: string, message: ChatMessage): Promise<void> {
  return storage.publish(roomId, { kind: 'message', message });
}

/** A name got its first live socket in the room. */
export function publishJoin(
  storage: Storage,
  roomId: string,
  member: { readonly name: string; readonly key: PublicKey },
  memberCount: number,
): Promise<void> {
  return storage.publish(roomId, { kind: 'presence', event: 'join', name: member.name, key: member.key, memberCount });
}

/** A name lost its last live socket in the room. */
export function publishLeave(storage: Storage, removed: PresenceRemoval): Promise<void> {
  const { roomId, name, key, memberCount } = removed;
  return storage.publish(roomId, { kind: 'presence', event: 'leave', name, key, memberCount });
}

/** A room was deleted; its members everywhere are closed. */
export function publishClosed(storage: Storage, roomId: string, reason: RoomGoneReason): Promise<void> {
  return storage.publish(roomId, { kind: 'closed', reason });
}

/** A socket is typing: for the room's other sockets, never stored. */
export function publishTyping(storage: Storage, roomId: string, name: string, connId: string): Promise<void> {
  return storage.publish(roomId, { kind: 'typing', name, connId });
}
