/**
 * A uvu suite whose every test gets a fresh server, a fresh room, and a
 * `connect` that closes its clients after the test.
 */
import { suite, type Test } from 'uvu';
import type WebSocket from 'ws';
import { TestClient, type Identity } from './client.js';
import { createRoom, startServer, type Running } from './server.js';
import type { CreateServerOptions } from '../../server/index.js';

export interface RoomContext {
  srv: Running;
  roomId: string;
  clients: TestClient[];
}

export function roomSuite(name: string, options: Partial<CreateServerOptions> = {}): Test<RoomContext> {
  const test = suite<RoomContext>(name);
  test.before.each(async (ctx) => {
    ctx.srv = await startServer(options);
    ctx.roomId = await createRoom(ctx.srv.url);
    ctx.clients = [];
  });
  test.after.each(async (ctx) => {
    for (const c of ctx.clients) c.close();
    await ctx.srv.stop();
  });
  return test;
}

export async function connect(
  ctx: RoomContext,
  identity?: Identity,
  options?: WebSocket.ClientOptions,
): Promise<TestClient> {
  const c = await TestClient.connect(ctx.srv.url, identity, options);
  ctx.clients.push(c);
  return c;
}
