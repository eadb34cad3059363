/**
 * Rooms for the bare `ws` baselines: a socket's room is the `room` query
 * parameter of its upgrade URL (none: the one room every socket shares), so
 * that the 1,000 rooms × 10 shape broadcasts within a room, as tiny-chat does.
 */
import type { IncomingMessage } from 'node:http';

export class Rooms<S> {
  readonly #rooms = new Map<string, Set<S>>();

  /** Puts the socket in its request's room and answers the room's member set. */
  join(socket: S, request: IncomingMessage): Set<S> {
    const room = new URL(request.url ?? '/', 'http://x').searchParams.get('room') ?? '';
    let members = this.#rooms.get(room);
    if (!members) this.#rooms.set(room, (members = new Set()));
    members.add(socket);
    return members;
  }
}
