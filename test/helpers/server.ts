/** Starts a real tiny-chat server on a loopback port for a test, with a fake clock. */
import type { FastifyInstance } from 'fastify';
import { createMemoryStorage } from '../../adapters/memory.js';
import type { Storage } from '../../adapters/types.js';
import { createServer, type CreateServerOptions } from '../../server/index.js';
import { sourceVerifyPool } from './verify-pool.js';

export class FakeClock {
  constructor(public t = Date.now()) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Running {
  app: FastifyInstance;
  url: string;
  storage: Storage;
  clock: FakeClock;
  stop(): Promise<void>;
}

/**
 * Abuse limits high enough that tests about ordering, history or presence are
 * never throttled; test/server/limits*.test.ts pass their own low ones.
 */
export const UNTHROTTLED: Partial<CreateServerOptions> = {
  connectionMessageRate: { perSecond: 100_000, burst: 100_000 },
  userMessageRate: { perSecond: 100_000, burst: 100_000 },
  anonymousRoomsPerIp: 100_000,
  restRateMax: 100_000,
  maxConnectionsPerIp: 100_000,
};

export async function startServer(options: Partial<CreateServerOptions> = {}): Promise<Running> {
  const storage = options.storage ?? (await createMemoryStorage());
  const clock = new FakeClock();
  const app = await createServer({
    clock,
    verifier: sourceVerifyPool(),
    ...UNTHROTTLED,
    ...options,
    storage,
    logger: false,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    app,
    url,
    storage,
    clock,
    async stop() {
      await app.close();
      if (!options.storage) await storage.close();
    },
  };
}

/**
 * Moves the fake clock forward as real time would pass: in steps, with the
 * presence heartbeat that the real timer would run in between.
 */
export async function passTime(srv: Running, ms: number, step = 30_000): Promise<void> {
  while (ms > 0) {
    const d = Math.min(step, ms);
    srv.clock.advance(d);
    ms -= d;
    await srv.app.tinyChat.refreshPresence();
  }
}

export async function createRoom(url: string): Promise<string> {
  const res = await fetch(`${url}/rooms`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`create room: ${res.status}`);
  return ((await res.json()) as { roomId: string }).roomId;
}
