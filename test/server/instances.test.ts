/**
 * Several server instances sharing one storage, in one process: one local
 * event bus stands in for the network between them, and a wrapper makes that
 * bus late, out of order, or lossy.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LocalEventBus } from '../../adapters/local-bus.js';
import { createMemoryStorage } from '../../adapters/memory.js';
import type { EventBus, RoomEvent, Storage } from '../../adapters/types.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';
import { isJoin, isLeave, TestClient } from '../helpers/client.js';
import { seededRandom } from '../helpers/random.js';

const { random } = seededRandom('instances.test.ts');

/** A bus whose publishes arrive late (seeded random delay) and, when `drop` says so, not at all. */
function unreliable(inner: EventBus, drop: (e: RoomEvent) => boolean = () => false): EventBus {
  return new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === 'publish') {
        return async (roomId: string, event: RoomEvent) => {
          if (drop(event)) return;
          // Late events after the test ended find the bus closed; that is fine.
          setTimeout(() => void target.publish(roomId, event).catch(() => undefined), random() * 30);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const test = suite<{ shared: Storage; bus: EventBus; servers: Running[]; clients: TestClient[] }>(
  'many instances, one storage',
);

test.before.each(async (ctx) => {
  ctx.shared = await createMemoryStorage();
  ctx.bus = new LocalEventBus();
  ctx.servers = [];
  ctx.clients = [];
});
test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  for (const s of ctx.servers) await s.stop();
  await ctx.shared.close();
  await ctx.bus.close();
});

async function joinAll(ctx: { servers: Running[]; clients: TestClient[] }, roomId: string, count: number) {
  const out: TestClient[] = [];
  for (let i = 0; i < count; i++) {
    const srv = ctx.servers[i % ctx.servers.length]!;
    const c = await TestClient.connect(srv.url);
    ctx.clients.push(c);
    await c.join(roomId, `user${i}`);
    out.push(c);
  }
  return out;
}

test('late and reordered events: every client on every instance ends with the identical sequence', async (ctx) => {
  ctx.servers.push(await startServer({ storage: ctx.shared, bus: unreliable(ctx.bus), gapTimeoutMs: 200 }));
  ctx.servers.push(await startServer({ storage: ctx.shared, bus: unreliable(ctx.bus), gapTimeoutMs: 200 }));
  const roomId = await createRoom(ctx.servers[0]!.url);
  const clients = await joinAll(ctx, roomId, 6);
  const perClient = 10;
  await Promise.all(
    clients.map(async (c) => {
      const frames = Array.from({ length: perClient }, (_, i) => c.sendFrame(`${c.name} ${i}`));
      for (const f of frames) c.sendJson(f);
      for (const f of frames) await c.waitFor((x) => x.type === 'ack' && x.id === f.id);
    }),
  );
  const total = clients.length * perClient;
  const views = await Promise.all(
    clients.map(async (c) => {
      await c.waitFor(() => c.messages().length >= total, 5000);
      return c.messages().map((m) => `${m.seq} ${m.text}`);
    }),
  );
  for (const v of views) assert.equal(v, views[0]);
  assert.equal(
    views[0]!.map((x) => Number(x.split(' ')[0])),
    Array.from({ length: total }, (_, i) => i + 1),
  );
});

test('a lost event is read back from storage: no client is left with a gap', async (ctx) => {
  let n = 0;
  // The second instance's every third message event never reaches anyone.
  const lossy = unreliable(ctx.bus, (e) => e.kind === 'message' && ++n % 3 === 0);
  ctx.servers.push(await startServer({ storage: ctx.shared, bus: unreliable(ctx.bus), gapTimeoutMs: 100 }));
  ctx.servers.push(await startServer({ storage: ctx.shared, bus: lossy, gapTimeoutMs: 100 }));
  const roomId = await createRoom(ctx.servers[0]!.url);
  const [a, b] = await joinAll(ctx, roomId, 2);
  for (let i = 0; i < 9; i++) await (i % 2 ? a! : b!).say(`m${i}`);
  // The last one comes from the healthy instance, so every gap is followed by a later message.
  await a!.say('last');
  for (const c of [a!, b!]) {
    await c.waitFor(() => c.messages().length >= 10, 5000);
    assert.equal(
      c.messages().map((m) => m.seq),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
  }
});

test('members on different instances see one member list', async (ctx) => {
  ctx.servers.push(await startServer({ storage: ctx.shared, bus: unreliable(ctx.bus) }));
  ctx.servers.push(await startServer({ storage: ctx.shared, bus: unreliable(ctx.bus) }));
  const roomId = await createRoom(ctx.servers[0]!.url);
  const clients = await joinAll(ctx, roomId, 4);
  clients[1]!.close();
  const expected = ['user0', 'user2', 'user3'];
  for (const c of [clients[0]!, clients[2]!, clients[3]!]) {
    const deadline = Date.now() + 3000;
    let held: string[] = [];
    for (;;) {
      held = c.heldMembers();
      if (held.join() === expected.join() || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(held, expected);
  }
});

test('a dead instance’s members leave once its presence expires', async (ctx) => {
  const live = await startServer({ storage: ctx.shared, bus: ctx.bus, sweepIntervalMs: 3_600_000 });
  ctx.servers.push(live);
  const roomId = await createRoom(live.url);
  const [watcher] = await joinAll(ctx, roomId, 1);
  // An instance that died: its presence entry is in storage, its heartbeats stopped.
  const now = live.clock.now();
  const key = { alg: 'Ed25519' as const, pub: Buffer.alloc(32, 9).toString('base64url') };
  await ctx.shared.bindName(roomId, { key, candidates: [{ name: 'ghost', skeleton: 'ghost' }] }, now);
  await ctx.shared.addPresence(roomId, { connId: 'dead.1', name: 'ghost', key }, now, 90_000);
  await ctx.bus.publish(roomId, { kind: 'presence', event: 'join', name: 'ghost', key, memberCount: 2 });
  await watcher!.waitFor((f) => isJoin(f, 'ghost'));
  live.clock.advance(60_000);
  await live.app.tinyChat.refreshPresence();
  live.clock.advance(31_000);
  await live.app.tinyChat.sweep();
  const leave = await watcher!.waitFor((f) => isLeave(f));
  assert.equal(
    leave.left.map((m) => m.name),
    ['ghost'],
  );
  // The live member, refreshed by its own instance's heartbeat, stayed.
  const members = await ctx.shared.listMembers(roomId, live.clock.now());
  assert.equal(
    members.map((m) => m.name),
    ['user0'],
  );
});

test.run();

const shutdown = suite('shutdown');

shutdown('stopping the server tells clients and closes them with 1001', async () => {
  const srv = await startServer();
  const roomId = await createRoom(srv.url);
  const c = await TestClient.connect(srv.url);
  await c.join(roomId, 'amy');
  await srv.stop();
  const closing = await c.next('closing');
  assert.is(closing.code, 'server-shutdown');
  assert.is(closing.reason, 'shutdown');
  assert.is((await c.waitClosed()).code, 1001);
});

shutdown.run();
