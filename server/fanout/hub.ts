/**
 * Fan-out to this process's sockets. Room events (from this instance or any
 * other) come in through one subscription and go to the room's RoomGroup,
 * which exists while the room has local sockets. The subscription holds
 * exactly the rooms that have a group: a room is added when its group is made
 * and removed when the group empties, so the instance hears only the rooms it
 * serves.
 *
 * Must never: let one room's events reach another room's sockets, or keep a
 * group (or a room subscription) alive for a room with no local socket.
 */
import type { RoomEvent, RoomSubscription } from '../../adapters/types.js';
import { subscribeEvents } from './events.js';
import type { Peer } from './peer.js';
import { RoomGroup, type RoomGroupOptions } from './room-group.js';

export class Hub {
  readonly #groups = new Map<string, RoomGroup>();
  /** Per room with a group: resolves once the bus delivers the room's events here. */
  readonly #listening = new Map<string, Promise<void>>();
  readonly #opts: RoomGroupOptions;
  #subscription: RoomSubscription | undefined;
  /** Room events the bus delivered to this instance since it started (see `stats`). */
  #received = 0;

  constructor(opts: RoomGroupOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    this.#subscription = await subscribeEvents(this.#opts.bus, (roomId, event) => this.#onEvent(roomId, event));
  }

  async stop(): Promise<void> {
    const subscription = this.#subscription;
    this.#subscription = undefined;
    for (const g of this.#groups.values()) g.dispose();
    this.#groups.clear();
    this.#listening.clear();
    await subscription?.close();
  }

  /** What operators watch per instance (GET /healthz): rooms served here, room events received. */
  stats(): { rooms: number; events: number } {
    return { rooms: this.#groups.size, events: this.#received };
  }

  /**
   * Resolves once this instance receives the room's events; a join awaits it
   * before reading its snapshot, so a message stored after the snapshot is
   * always heard. Rejects when the bus could not subscribe.
   */
  listening(roomId: string): Promise<void> {
    return this.#listening.get(roomId) ?? Promise.reject(new Error(`no room group for ${roomId}`));
  }

  /** Adds a joining peer; it receives nothing until `welcome` is called for it. */
  attach(roomId: string, peer: Peer): RoomGroup {
    let g = this.#groups.get(roomId);
    if (!g) {
      const group = new RoomGroup(roomId, this.#opts, () => {
        // Only forget the group if it is still the room's current one.
        if (this.#groups.get(roomId) !== group) return;
        this.#groups.delete(roomId);
        this.#listening.delete(roomId);
        this.#subscription
          ?.remove(roomId)
          .catch((err: unknown) => this.#opts.log.warn({ err, roomId }, 'room unsubscribe failed'));
      });
      this.#groups.set(roomId, group);
      const listening = this.#subscription
        ? this.#subscription.add(roomId)
        : Promise.reject(new Error('the hub is not started'));
      // Every join awaits it (and fails on it) before it stores anything; this only keeps a join
      // that closes first from leaving a rejection unhandled.
      listening.catch(() => undefined);
      this.#listening.set(roomId, listening);
      g = group;
    }
    g.attach(peer);
    return g;
  }

  detach(roomId: string, peer: Peer): void {
    this.#groups.get(roomId)?.detach(peer);
  }

  /** Rooms with a group here (the rooms metric). */
  get size(): number {
    return this.#groups.size;
  }

  rooms(): Iterable<[string, RoomGroup]> {
    return this.#groups.entries();
  }

  #onEvent(roomId: string, event: RoomEvent): void {
    this.#received++;
    const g = this.#groups.get(roomId);
    if (!g) return;
    switch (event.kind) {
      case 'message':
        g.offer(event.message);
        break;
      case 'action':
        // In order with the messages; the group applies it (slow mode, a kick's close) as it delivers it.
        g.offer(event.entry);
        break;
      case 'presence':
        g.membersChanged();
        break;
      case 'closed':
        g.close(event.reason);
        break;
      case 'typing':
        g.typing(event.name, event.connId);
        break;
    }
  }
}
