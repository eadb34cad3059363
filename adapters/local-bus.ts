/**
 * The event bus for servers that share one process: publishing is calling
 * the listeners, in order, before publish() settles. It is the default bus
 * for storage that no other process uses (memory, SQLite); servers in one
 * process that share a storage share one of these too.
 *
 * Must never reach across processes or hold an event: it only broadcasts.
 */
import type { EventBus, RoomEvent, RoomEventListener } from './types.js';

export class LocalEventBus implements EventBus {
  readonly #listeners = new Set<RoomEventListener>();
  #closed = false;

  async publish(roomId: string, event: RoomEvent): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    for (const listener of this.#listeners) listener(roomId, event);
  }

  async subscribe(listener: RoomEventListener): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('event bus is closed');
    // Wrap so that subscribing one function twice gives two independent subscriptions.
    const wrapped: RoomEventListener = (roomId, event) => listener(roomId, event);
    this.#listeners.add(wrapped);
    return async () => {
      this.#listeners.delete(wrapped);
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
  }
}

export async function createLocalEventBus(): Promise<EventBus> {
  return new LocalEventBus();
}
