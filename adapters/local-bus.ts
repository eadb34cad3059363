/**
 * The event bus for servers that share one process: publishing is calling
 * the listeners of the subscriptions that added the room, in order, before
 * publish() settles. It is the default bus for storage that no other process
 * uses (memory, SQLite); servers in one process that share a storage share
 * one of these too.
 *
 * Must never reach across processes or hold an event: it only broadcasts.
 */
import type { EventBus, RoomEvent, RoomEventListener, RoomSubscription } from './types.js';

interface Subscriber {
  readonly listener: RoomEventListener;
  readonly rooms: Set<string>;
}

export class LocalEventBus implements EventBus {
  readonly #subscribers = new Set<Subscriber>();
  #closed = false;

  async publish(roomId: string, event: RoomEvent): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    for (const s of this.#subscribers) if (s.rooms.has(roomId)) s.listener(roomId, event);
  }

  async subscribe(listener: RoomEventListener): Promise<RoomSubscription> {
    if (this.#closed) throw new Error('event bus is closed');
    // One record per call, so that subscribing one function twice gives two independent subscriptions.
    const s: Subscriber = { listener, rooms: new Set() };
    this.#subscribers.add(s);
    return {
      add: async (roomId) => void s.rooms.add(roomId),
      remove: async (roomId) => void s.rooms.delete(roomId),
      close: async () => {
        s.rooms.clear();
        this.#subscribers.delete(s);
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#subscribers.clear();
  }
}

export async function createLocalEventBus(): Promise<EventBus> {
  return new LocalEventBus();
}
