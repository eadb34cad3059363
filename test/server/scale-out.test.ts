/**
 * Two real `tiny-chat` processes share one real Redis: one room spans both,
 * senders on both send at once, and every client ends with the same history
 * and member list. Then one instance is SIGKILLed: its clients resume on the
 * other without a gap, and a member who does not come back leaves the list
 * within the documented bound (presence TTL = 3 x ping interval, plus one
 * sweep interval; see docs/deployment.md).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isLeave, TestClient } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { createRoom } from '../helpers/server.js';

const PING_MS = 1000;
const SWEEP_MS = 500;
/** The documented bound for a dead instance's members to leave, plus slack for a loaded machine. */
const LEAVE_BOUND_MS = 3 * PING_MS + SWEEP_MS + 3000;

const start = (prefix: string): Promise<ServerProcess> =>
  spawnServer([
    ...['--storage', 'redis', '--redis-url', REDIS_URL, '--redis-prefix', prefix],
    ...['--ping-interval', `${PING_MS}ms`, '--sweep-interval', `${SWEEP_MS}ms`],
  ]);

const view = (c: TestClient): string[] => c.messages().map((m) => `${m.seq}|${m.name}|${m.text}`);

if (await redisAvailable()) {
  const test = suite<{ prefix: string; servers: ServerProcess[]; clients: TestClient[] }>('two instances on Redis');

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

  test('concurrent senders on both instances; then one dies and its clients resume on the other', async (ctx) => {
    const [a, b] = await Promise.all([start(ctx.prefix), start(ctx.prefix)]);
    ctx.servers.push(a, b);
    const roomId = await createRoom(a.url);

    const join = async (srv: ServerProcess, name: string): Promise<TestClient> => {
      const c = await TestClient.connect(srv.url);
      ctx.clients.push(c);
      await c.join(roomId, name);
      return c;
    };
    const onA = [await join(a, 'ann'), await join(a, 'art'), await join(a, 'lea')];
    const onB = [await join(b, 'bob'), await join(b, 'bea')];
    const everyone = [...onA, ...onB];
    const names = ['ann', 'art', 'bea', 'bob', 'lea'];
    for (const c of everyone) await c.waitFor(() => c.heldMembers().join() === names.join());

    // Two senders per instance, every message in flight at once.
    const perSender = 20;
    const senders = [onA[0]!, onA[1]!, onB[0]!, onB[1]!];
    await Promise.all(
      senders.map(async (c) => {
        const frames = Array.from({ length: perSender }, (_, i) => c.sendFrame(`${c.name}:${i}`));
        for (const f of frames) c.sendJson(f);
        for (const f of frames) await c.waitFor((x) => x.type === 'ack' && x.id === f.id, 10_000);
      }),
    );
    const total = senders.length * perSender;
    for (const c of everyone) await c.waitFor(() => c.messages().length >= total, 10_000);
    const reference = view(everyone[0]!);
    for (const c of everyone) assert.equal(view(c), reference, `${c.name} sees the same history`);
    assert.equal(
      reference.map((x) => Number(x.split('|')[0])),
      Array.from({ length: total }, (_, i) => i + 1),
    );

    // Instance A dies without a word. ann and art come back on B; lea does not.
    a.child.kill('SIGKILL');
    await a.exited;
    const resumed: TestClient[] = [];
    for (const old of [onA[0]!, onA[1]!]) {
      await old.waitClosed(5000);
      const since = old.messages().at(-1)!.seq;
      const c = await TestClient.connect(b.url, old.identity);
      ctx.clients.push(c);
      const welcome = await c.join(roomId, old.name, since);
      assert.is(welcome.name, old.name, 'same key, same name on the other instance');
      assert.is(welcome.resume, 'resumed');
      assert.equal(welcome.messages, []);
      resumed.push(c);
    }
    // Messages sent after the failover reach everyone, resumed clients included, with no gap.
    for (const c of [resumed[0]!, onB[0]!]) assert.is((await c.say(`after:${c.name}`)).type, 'ack');
    for (const c of [...resumed, ...onB]) {
      await c.waitFor(() => c.messages().some((m) => m.seq === total + 2), 5000);
    }
    for (const [i, c] of resumed.entries()) {
      const seqs = [...onA[i]!.messages(), ...c.messages()].map((m) => m.seq);
      assert.equal(
        seqs,
        Array.from({ length: total + 2 }, (_, k) => k + 1),
      );
    }

    // lea's connection lived on A only: B's members see her leave within the bound.
    const observer = onB[0]!;
    await observer.waitFor((f) => isLeave(f, 'lea'), LEAVE_BOUND_MS);
    const expected = ['ann', 'art', 'bea', 'bob'];
    for (const c of [...resumed, ...onB]) await c.waitFor(() => c.heldMembers().join() === expected.join(), 3000);
    // ann and art reconnected in time: they never left anyone's list.
    assert.not.ok(observer.frames.some((f) => isLeave(f) && f.left.some((m) => m.name !== 'lea')));
  });

  test.run();
}
