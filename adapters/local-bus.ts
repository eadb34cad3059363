/**
 * Room events for backends that serve one process (memory, SQLite): with no
 * other instance to reach, publishing is calling the listeners in order.
 */
import type { RoomEvent, RoomEventListener } from './types.js';

export class LocalEvents {
  readonly #listeners = new Set<RoomEventListener>();

  publish(roomId: string, event: RoomEvent): void {
    for (const listener of this.#listeners) listener(roomId, event);
  }

  subscribe(listener: RoomEventListener): () => Promise<void> {
    // Wrap so that subscribing one function twice gives two independent subscriptions.
    const wrapped: RoomEventListener = (roomId, event) => listener(roomId, event);
    this.#listeners.add(wrapped);
    return async () => {
      this.#listeners.delete(wrapped);
    };
  }

  clear(): void {
    this.#listeners.clear();
  }
}
