/**
 * The event bus for servers that share a Redis storage: one pub/sub channel,
 * `<prefix>:events`, which Redis delivers to every subscriber in publish
 * order per publishing connection. It has its own connections, one to
 * publish and one subscribed, apart from the storage's.
 *
 * Must never carry state: storage holds it all. A message event lost here
 * (a reconnect, a dropped subscriber) costs only latency, because servers
 * read missed sequence numbers back from storage.
 */
import type { Redis } from 'ioredis';
import type { EventBus, RoomEvent, RoomEventListener } from '../types.js';
import { connect, DEFAULT_PREFIX, watch, type RedisConnectionOptions } from './connection.js';

export type RedisEventBusOptions = RedisConnectionOptions;

export class RedisEventBus implements EventBus {
  readonly #pub: Redis;
  readonly #channel: string;
  readonly #logger: RedisConnectionOptions['logger'];
  readonly #listeners = new Set<RoomEventListener>();
  #sub: Promise<Redis> | undefined;
  #closed = false;

  constructor(options: RedisEventBusOptions) {
    this.#pub = connect(options, 'bus-publish');
    this.#logger = options.logger;
    this.#channel = `${options.prefix ?? DEFAULT_PREFIX}:events`;
  }

  async publish(roomId: string, event: RoomEvent): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    await this.#pub.publish(this.#channel, JSON.stringify([roomId, event]));
  }

  async subscribe(listener: RoomEventListener): Promise<() => Promise<void>> {
    if (this.#closed) throw new Error('event bus is closed');
    // One subscribed connection for all listeners, opened by the first of them.
    this.#sub ??= this.#subscribed().catch((err: unknown) => {
      this.#sub = undefined;
      throw err;
    });
    await this.#sub;
    const wrapped: RoomEventListener = (roomId, event) => listener(roomId, event);
    this.#listeners.add(wrapped);
    return async () => {
      this.#listeners.delete(wrapped);
    };
  }

  /** Resolves when Redis answers on the publishing connection. */
  async ping(): Promise<void> {
    await this.#pub.ping();
  }

  /** Idempotent, like LocalEventBus.close: the caller that opened it and a test's cleanup may both call it. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    const sub = this.#sub;
    await Promise.all([this.#pub.quit(), sub?.then((s) => s.quit())]);
  }

  async #subscribed(): Promise<Redis> {
    const sub = this.#pub.duplicate();
    watch(sub, 'bus-subscribe', this.#logger);
    sub.on('message', (channel: string, payload: string) => {
      if (channel !== this.#channel) return;
      const [roomId, event] = JSON.parse(payload) as [string, RoomEvent];
      for (const l of this.#listeners) l(roomId, event);
    });
    await sub.subscribe(this.#channel);
    return sub;
  }
}

export async function createRedisEventBus(options: RedisEventBusOptions): Promise<EventBus> {
  const bus = new RedisEventBus(options);
  await bus.ping();
  return bus;
}
