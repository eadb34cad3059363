/**
 * Per-room subscriptions on Redis sharded pub/sub. Three real `tiny-chat`
 * processes share one real Redis; each serves some rooms and one room spans
 * all three. Each instance's /healthz counts the room events it received:
 * during a burst of messages it receives exactly those of the rooms it
 * serves, and every client of a room ends with the same history. Then the
 * race: a message stored while a joining instance is still subscribing
 * reaches the joiner (the snapshot is read once the room is heard).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import type { EventBus, Storage } from '../../adapters/types.js';
import { TestClient, textOf } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

interface Health {
  rooms: number;
  events: number;
}

const health = async (url: string): Promise<Health> => (await (await fetch(`${url}/healthz`)).json()) as Health;
const view = (c: TestClient): string[] => c.messages().map((m) => `${m.seq}|${m.name}|${textOf(m)}`);

/** Wraps a real bus so a test can act while a room's subscription is being made. */
function beforeSubscribing(bus: EventBus, hook: (roomId: string) => Promise<void>): EventBus {
  return {
    publish: (roomId, event) => bus.publish(roomId, event),
    subscribe: async (listener) => {
      const sub = await bus.subscribe(listener);
      return {
        add: async (roomId) => {
          await hook(roomId);
          await sub.add(roomId);
        },
        remove: (roomId) => sub.remove(roomId),
        close: () => sub.close(),
      };
    },
    close: () => bus.close(),
  };
}

if (await redisAvailable()) {
  const test = suite<{ prefix: string; servers: ServerProcess[]; clients: TestClient[] }>(
    'three instances: each hears only its rooms',
  );
  test.before.each((ctx) => {
    ctx.prefix = testPrefix();
    ctx.servers = [];
    ctx.clients = [];
  });
  test.after.each(async (ctx) => {
    for (const c of ctx.clients) c.close();
    for (const s of ctx.servers) {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    await dropPrefix(ctx.prefix);
  });

  test('room events reach only the instances that serve the room; histories agree', async (ctx) => {
    const args = ['--storage', 'redis', '--redis-url', REDIS_URL, '--redis-prefix', ctx.prefix];
    // One at a time, with time to spare: three compiling processes at once starve a loaded machine.
    for (let i = 0; i < 3; i++) ctx.servers.push(await spawnServer(args, {}, 60_000));
    const servers = ctx.servers;
    // Rooms 0-1 live on instance 0, room 2 on 1, room 3 on 2; the shared room on all three.
    const placement: number[][] = [[0], [0], [1], [2], [0, 1, 2]];
    const rooms = await Promise.all(placement.map(() => createRoom(servers[0]!.url)));
    const members = new Map<string, TestClient[]>();
    for (const [r, on] of placement.entries()) {
      const list: TestClient[] = [];
      for (const [i, s] of [...on, on[0]!].entries()) {
        const c = await TestClient.connect(servers[s]!.url);
        ctx.clients.push(c);
        await c.join(rooms[r]!, `m${i}`);
        list.push(c);
      }
      members.set(rooms[r]!, list);
      const names = list.map((c) => c.name).sort();
      for (const c of list) await c.waitFor(() => c.heldMembers().join() === names.join(), 10_000);
    }

    const before = await Promise.all(servers.map((s) => health(s.url)));
    assert.equal(
      before.map((h) => h.rooms),
      [3, 2, 2],
      'rooms served per instance',
    );
    const perClient = 5;
    await Promise.all(
      [...members.values()].flat().map(async (c) => {
        for (let i = 0; i < perClient; i++) assert.is((await c.say(`${c.name}:${i}`, {}, 10_000)).type, 'ack');
      }),
    );
    const sent = new Map([...members].map(([room, list]) => [room, list.length * perClient]));
    for (const [room, list] of members) {
      for (const c of list) await c.waitFor(() => c.messages().length >= sent.get(room)!, 10_000);
      const reference = view(list[0]!);
      assert.is(reference.length, sent.get(room));
      for (const c of list) assert.equal(view(c), reference, `${c.name} in room ${room} sees the same history`);
    }

    // Every message event went to the instances serving its room once, and to no other instance.
    const after = await Promise.all(servers.map((s) => health(s.url)));
    const expected = servers.map((_s, i) =>
      placement.reduce((n, on, r) => n + (on.includes(i) ? sent.get(rooms[r]!)! : 0), 0),
    );
    assert.equal(
      after.map((h, i) => h.events - before[i]!.events),
      expected,
      'room events received per instance during the burst',
    );
    const all = [...sent.values()].reduce((a, b) => a + b, 0);
    for (const n of expected) assert.ok(n < all, `${n} of ${all}: an instance hears less than every room`);
  });

  test.run();

  const race = suite<{ prefix: string; closers: (Storage | EventBus)[]; servers: Running[]; clients: TestClient[] }>(
    'a join while its instance subscribes',
  );
  race.before.each((ctx) => {
    ctx.prefix = testPrefix();
    ctx.closers = [];
    ctx.servers = [];
    ctx.clients = [];
  });
  race.after.each(async (ctx) => {
    for (const c of ctx.clients) c.close();
    for (const s of ctx.servers) await s.stop();
    for (const s of ctx.closers) await s.close();
    await dropPrefix(ctx.prefix);
  });

  race('a message stored before the subscription is live reaches the joiner, and one after it too', async (ctx) => {
    let during: (() => Promise<void>) | undefined;
    for (let i = 0; i < 2; i++) {
      const storage = await createRedisStorage({ url: REDIS_URL, prefix: ctx.prefix });
      const real = await createRedisEventBus({ url: REDIS_URL, prefix: ctx.prefix });
      ctx.closers.push(storage, real);
      const bus = i === 0 ? real : beforeSubscribing(real, async () => await during?.());
      ctx.servers.push(await startServer({ storage, bus }));
    }
    const [a, b] = ctx.servers as [Running, Running];
    const roomId = await createRoom(a.url);
    const amy = await TestClient.connect(a.url);
    ctx.clients.push(amy);
    await amy.join(roomId, 'amy');
    assert.is((await amy.say('first', {}, 10_000)).type, 'ack');

    // While instance b subscribes for bob's join, amy's message is stored and published: b cannot hear it.
    during = async () => {
      assert.is((await amy.say('while subscribing', {}, 10_000)).type, 'ack');
    };
    const bob = await TestClient.connect(b.url);
    ctx.clients.push(bob);
    const welcome = await bob.join(roomId, 'bob');
    during = undefined;
    assert.equal(
      welcome.messages.map((m) => textOf(m)),
      ['first', 'while subscribing'],
      'the snapshot is read once b hears the room',
    );
    // Published after the subscription: heard live, with no later message needed to reveal a gap.
    assert.is((await amy.say('after', {}, 10_000)).type, 'ack');
    for (const c of [amy, bob]) await c.waitFor(() => c.messages().some((m) => m.text === 'after'), 10_000);
    const held = [...welcome.messages, ...bob.messages()].map((m) => `${m.seq}|${m.name}|${textOf(m)}`);
    assert.equal(held, view(amy), 'bob holds what amy holds, once each, in order');
  });

  race.run();
}
