/**
 * A join touches storage the fewest times its guarantees allow: the room is
 * read once, and the member list once (the read that the join's own presence
 * notice starts is after its presence is stored, so the welcome can use it).
 * The storage is the real in-memory adapter and the bus the real local one,
 * with their calls counted.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createLocalEventBus } from '../../adapters/local-bus.js';
import type { Storage } from '../../adapters/types.js';
import { isJoin, TestClient } from '../helpers/client.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

/** The same storage (or bus), counting each method's calls in `calls`. */
function counted<T extends object>(inner: T, calls: Map<string, number>): T {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const test = suite<{ inner: Storage; srv: Running; clients: TestClient[] }>('join storage round trips');
test.before.each(async (ctx) => {
  ctx.inner = await createMemoryStorage();
  ctx.clients = [];
});
test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  await ctx.srv.stop();
  await ctx.inner.close();
});

test('each join reads the room once and the member list once', async (ctx) => {
  const calls = new Map<string, number>();
  const storage = counted(ctx.inner, calls);
  const bus = counted(await createLocalEventBus(), calls);
  ctx.srv = await startServer({ storage, bus });
  const roomId = await createRoom(ctx.srv.url);
  calls.clear();
  const amy = await TestClient.connect(ctx.srv.url);
  ctx.clients.push(amy);
  await amy.join(roomId, 'amy');
  const ben = await TestClient.connect(ctx.srv.url);
  ctx.clients.push(ben);
  await ben.join(roomId, 'ben');
  // amy's presence frame for ben comes from the last member-list read of ben's join.
  await amy.waitFor((f) => isJoin(f, 'ben'));
  const per = (method: string): number => (calls.get(method) ?? 0) / 2;
  assert.equal(
    {
      getRoom: per('getRoom'),
      bindName: per('bindName'),
      addPresence: per('addPresence'),
      listMembers: per('listMembers'),
      readMessages: per('readMessages'),
      publish: per('publish'),
    },
    { getRoom: 1, bindName: 1, addPresence: 1, listMembers: 1, readMessages: 1, publish: 1 },
  );
});

test.run();
