/**
 * The event bus for servers that share a Redis storage: one sharded pub/sub
 * channel per room (Redis 7 SPUBLISH/SSUBSCRIBE, named in ./keys.ts). An
 * instance subscribes a room's channel while it serves the room, so it hears
 * only its own rooms, and on Redis Cluster each channel lives on the shard
 * that holds its room. Redis delivers a channel's events in publish order per
 * publishing connection. The bus has its own connections, one to publish and
 * one subscribed, apart from the storage's.
 *
 * Must never carry state: storage holds it all. A message event lost here
 * (a reconnect, a dropped subscriber) costs only latency, because servers
 * read missed sequence numbers back from storage.
 */
import type { EventBus, RoomEvent, RoomEventListener, RoomSubscription } from '../types.js';
import { connect, DEFAULT_PREFIX, type RedisClient, type RedisConnectionOptions } from './connection.js';
import { roomChannel } from './keys.js';

export type RedisEventBusOptions = RedisConnectionOptions;

interface Subscriber {
  readonly listener: RoomEventListener;
  readonly rooms: Set<string>;
}

export class RedisEventBus implements EventBus {
  readonly #options: RedisEventBusOptions;
  readonly #pub: RedisClient;
  readonly #prefix: string;
  readonly #subscribers = new Set<Subscriber>();
  /** Per subscribed room: how many subscribers added it, and the SSUBSCRIBE that listens for them. */
  readonly #rooms = new Map<string, { count: number; ready: Promise<unknown> }>();
  #sub: RedisClient | undefined;
  #closed = false;

  constructor(options: RedisEventBusOptions) {
    this.#options = options;
    this.#pub = connect(options, 'bus-publish');
    this.#prefix = options.prefix ?? DEFAULT_PREFIX;
  }

  async publish(roomId: string, event: RoomEvent): Promise<void> {
    if (this.#closed) throw new Error('event bus is closed');
    await this.#pub.spublish(roomChannel(this.#prefix, roomId), JSON.stringify([roomId, event]));
  }

  async subscribe(listener: RoomEventListener): Promise<RoomSubscription> {
    if (this.#closed) throw new Error('event bus is closed');
    const s: Subscriber = { listener, rooms: new Set() };
    this.#subscribers.add(s);
    return {
      add: async (roomId) => {
        if (!s.rooms.has(roomId)) {
          s.rooms.add(roomId);
          this.#addRoom(roomId);
        }
        try {
          await this.#rooms.get(roomId)?.ready;
        } catch (err) {
          // Not subscribed: a later add must try again.
          s.rooms.delete(roomId);
          throw err;
        }
      },
      remove: async (roomId) => {
        if (s.rooms.delete(roomId)) await this.#removeRoom(roomId);
      },
      close: async () => {
        this.#subscribers.delete(s);
        const rooms = [...s.rooms];
        s.rooms.clear();
        await Promise.all(rooms.map((r) => this.#removeRoom(r)));
      },
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
    this.#subscribers.clear();
    this.#rooms.clear();
    await Promise.all([this.#pub.quit(), this.#sub?.quit()]);
  }

  #addRoom(roomId: string): void {
    const entry = this.#rooms.get(roomId);
    if (entry) {
      entry.count++;
      return;
    }
    // Commands on the one subscribed connection run in order, so an SSUBSCRIBE
    // sent after a pending SUNSUBSCRIBE of the same room wins.
    const ready = this.#subscriber()
      .ssubscribe(roomChannel(this.#prefix, roomId))
      .catch((err: unknown) => {
        if (this.#rooms.get(roomId)?.ready === ready) this.#rooms.delete(roomId);
        throw err;
      });
    this.#rooms.set(roomId, { count: 1, ready });
  }

  async #removeRoom(roomId: string): Promise<void> {
    const entry = this.#rooms.get(roomId);
    if (!entry || --entry.count > 0) return;
    this.#rooms.delete(roomId);
    if (this.#closed || !this.#sub) return;
    await this.#sub.sunsubscribe(roomChannel(this.#prefix, roomId));
  }

  /** One subscribed connection for every room, opened by the first of them. */
  #subscriber(): RedisClient {
    if (this.#sub) return this.#sub;
    const sub = connect(this.#options, 'bus-subscribe');
    sub.on('smessage', (_channel: string, payload: string) => {
      const [roomId, event] = JSON.parse(payload) as [string, RoomEvent];
      for (const s of this.#subscribers) if (s.rooms.has(roomId)) s.listener(roomId, event);
    });
    this.#sub = sub;
    return sub;
  }
}

export async function createRedisEventBus(options: RedisEventBusOptions): Promise<EventBus> {
  const bus = new RedisEventBus(options);
  await bus.ping();
  return bus;
}
