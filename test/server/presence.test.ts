import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import type { PresenceRemoval } from '../../adapters/types.js';
import { connect, roomSuite, type RoomContext } from '../helpers/room-suite.js';
import { createRoom, startServer } from '../helpers/server.js';
import { withOverrides } from '../helpers/storage-wrapper.js';
import { isJoin, isLeave } from '../helpers/client.js';

const PING = 200;
const TICK = 100;
const test = roomSuite('presence', { pingIntervalMs: PING, presenceTickMs: TICK });

test('every member sees joins and leaves live', async (ctx) => {
  const a = await connect(ctx);
  await a.join(ctx.roomId, 'amy');
  const b = await connect(ctx);
  await b.join(ctx.roomId, 'ben');
  const join = await a.waitFor((f) => isJoin(f, 'ben'));
  assert.equal(join, { type: 'presence', joined: [{ name: 'ben', key: b.identity.key }], left: [], memberCount: 2 });
  b.close();
  await a.waitFor((f) => isLeave(f, 'ben'));
  assert.equal(a.presenceLog(), ['join ben 2', 'leave ben 1']);
  assert.equal(a.heldMembers(), ['amy']);
});

test('two tabs of one user count once', async () => {
  // Storage that says when a presence entry is gone: the end of the server's work on a closed socket.
  const inner = await createMemoryStorage();
  const removals: PresenceRemoval[] = [];
  let removed = (): void => undefined;
  const storage = withOverrides(inner, {
    async removePresence(...args) {
      const r = await inner.removePresence(...args);
      if (r) removals.push(r);
      removed();
      return r;
    },
  });
  const ctx: RoomContext = {
    srv: await startServer({ storage, pingIntervalMs: PING, presenceTickMs: TICK }),
    roomId: '',
    clients: [],
  };
  try {
    ctx.roomId = await createRoom(ctx.srv.url);
    const watcher = await connect(ctx);
    await watcher.join(ctx.roomId, 'watcher');
    const tab1 = await connect(ctx);
    await tab1.join(ctx.roomId, 'dora');
    const tab2 = await connect(ctx, tab1.identity);
    const w2 = await tab2.join(ctx.roomId, 'dora');
    assert.is(w2.name, 'dora');
    assert.equal(
      w2.members.map((m) => m.name),
      ['dora', 'watcher'],
    );
    assert.is(w2.room.memberCount, 2);
    await watcher.waitFor((f) => isJoin(f, 'dora'));
    const tab1Gone = new Promise<void>((r) => (removed = r));
    tab1.close();
    await tab1Gone;
    assert.equal(
      removals.map((r) => [r.name, r.last]),
      [['dora', false]],
    );
    // A leave for tab1 would go out at the tick after its close: wait two ticks past this message.
    // The first message of the process also starts the verify threads: slow on a loaded machine.
    tab2.sendJson(tab2.sendFrame('still here', { ts: ctx.srv.clock.now() }));
    await watcher.waitFor((f) => f.type === 'message' && f.text === 'still here', 15_000);
    await new Promise((r) => setTimeout(r, 2 * TICK));
    await watcher.roundTrip();
    assert.equal(watcher.presenceLog(), ['join dora 2']);
    tab2.close();
    await watcher.waitFor((f) => isLeave(f));
    assert.equal(watcher.presenceLog(), ['join dora 2', 'leave dora 1']);
  } finally {
    for (const c of ctx.clients) c.close();
    await ctx.srv.stop();
    await inner.close();
  }
});

test('a dropped connection (no close frame) leaves within two ping intervals', async (ctx) => {
  const a = await connect(ctx);
  await a.join(ctx.roomId, 'amy');
  // A client that stops answering pings, like a laptop that lost its network.
  const ghost = await connect(ctx, undefined, { autoPong: false });
  await ghost.join(ctx.roomId, 'ghost');
  await a.waitFor((f) => isJoin(f));
  const start = Date.now();
  const leave = await a.waitFor((f) => isLeave(f), 10 * PING);
  const took = Date.now() - start;
  assert.equal(
    leave.left.map((m) => m.name),
    ['ghost'],
  );
  // Two intervals and the presence tick, plus one interval of slack for a loaded machine's timers.
  assert.ok(took <= 3 * PING + TICK, `took ${took} ms`);
  assert.equal(a.heldMembers(), ['amy']);
});

test('a member list stays identical for everyone through a churn of joins and leaves', async (ctx) => {
  const observers = await Promise.all(
    ['o1', 'o2', 'o3'].map(async (n) => {
      const c = await connect(ctx);
      await c.join(ctx.roomId, n);
      return c;
    }),
  );
  const churn = await Promise.all(
    Array.from({ length: 6 }, async (_, i) => {
      const c = await connect(ctx);
      await c.join(ctx.roomId, `churn${i}`);
      return c;
    }),
  );
  for (const c of churn.filter((_, i) => i % 2 === 0)) c.close();
  const expected = ['churn1', 'churn3', 'churn5', 'o1', 'o2', 'o3'];
  for (const o of observers) {
    const deadline = Date.now() + 2000;
    while (o.heldMembers().join() !== expected.join() && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.equal(o.heldMembers(), expected);
  }
  const members = await ctx.srv.storage.listMembers(ctx.roomId, ctx.srv.clock.now());
  assert.equal(
    members.map((m) => m.name),
    expected,
  );
});

test.run();
