/**
 * Fan-out to this process's sockets. Room events (from this instance or any
 * other) come in through one subscription and go to the room's RoomGroup,
 * which exists while the room has local sockets.
 *
 * Must never: let one room's events reach another room's sockets, or keep a
 * group alive for a room with no local socket.
 */
import type { RoomEvent } from '../../adapters/types.js';
import { subscribeEvents } from './events.js';
import { RoomGroup, type Peer, type RoomGroupOptions } from './room-group.js';

export class Hub {
  readonly #groups = new Map<string, RoomGroup>();
  readonly #opts: RoomGroupOptions;
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(opts: RoomGroupOptions) {
    this.#opts = opts;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await subscribeEvents(this.#opts.bus, (roomId, event) => this.#onEvent(roomId, event));
  }

  async stop(): Promise<void> {
    for (const g of this.#groups.values()) g.dispose();
    this.#groups.clear();
    await this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /** Adds a joining peer; it receives nothing until `welcome` is called for it. */
  attach(roomId: string, peer: Peer): RoomGroup {
    let g = this.#groups.get(roomId);
    if (!g) {
      const group = new RoomGroup(roomId, this.#opts, () => {
        // Only forget the group if it is still the room's current one.
        if (this.#groups.get(roomId) === group) this.#groups.delete(roomId);
      });
      this.#groups.set(roomId, group);
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
    const g = this.#groups.get(roomId);
    if (!g) return;
    switch (event.kind) {
      case 'message':
        g.offer(event.message);
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
