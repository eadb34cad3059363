/**
 * Two real `tiny-chat` processes on a real Redis Cluster (three primaries,
 * each with a replica; test/helpers/redis-cluster.ts, ports 7111-7116): one
 * room spans both instances and every client ends with the same history.
 * Then the primary that holds the room is SIGKILLed and its replica takes
 * over: what docs/deployment.md promises for that ("Redis Cluster") is what
 * the clients see: sends in the failover window are refused as `storage-unavailable` and
 * succeed when resent with the same id, nothing acknowledged before the kill
 * is lost (the replica had it), and no client misses a message after it.
 * Then the same with a replica that lacked the last writes (it was stopped
 * while they were made): the writes are lost, and every connected client is
 * told (`history-rolled-back`, 4412) rather than shown a reused number.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServerFrame } from '../../protocol/frames.js';
import { TestClient } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { testPrefix } from '../helpers/redis.js';
import { clusterAvailable, startCluster, type TestCluster } from '../helpers/redis-cluster.js';
import { createRoom } from '../helpers/server.js';

const view = (c: TestClient): string[] => c.messages().map((m) => `${m.seq}|${m.name}|${m.text}`);

/** Sends until acknowledged, resending the same frame (same id) after each refusal. */
async function sendUntilAcked(c: TestClient, text: string, timeoutMs: number): Promise<ServerFrame[]> {
  const frame = c.sendFrame(text);
  const refusals: ServerFrame[] = [];
  const start = Date.now();
  for (;;) {
    const earlier = new Set(c.frames);
    c.sendJson(frame);
    const answer = await c.waitFor(
      (f) => !earlier.has(f) && ((f.type === 'ack' && f.id === frame.id) || (f.type === 'error' && f.ref === frame.id)),
      timeoutMs,
    );
    if (answer.type === 'ack') return refusals;
    refusals.push(answer);
    if (Date.now() - start > timeoutMs) throw new Error(`not acknowledged: ${JSON.stringify(refusals)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The CLI flags of a tiny-chat instance on the cluster, under a prefix of the test's own. */
const clusterArgs = (cluster: TestCluster, prefix: string): string[] => [
  '--storage',
  'redis',
  '--redis-cluster',
  'true',
  '--redis-url',
  cluster.url,
  '--redis-prefix',
  prefix,
];

/** Waits until each replica has every write its primary took. */
async function replicasCaughtUp(cluster: TestCluster, primary: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const info = await cluster.cli(primary, 'info', 'replication');
    const master = /master_repl_offset:(\d+)/.exec(info)?.[1];
    const offsets = [...info.matchAll(/slave\d+:.*offset=(\d+)/g)].map((m) => m[1]);
    if (offsets.length > 0 && offsets.every((o) => o === master)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`replica of ${primary} did not catch up`);
}

if (clusterAvailable()) {
  const test = suite<{ cluster: TestCluster; servers: ServerProcess[]; clients: TestClient[] }>(
    'two instances on a Redis Cluster',
  );
  test.before.each(async (ctx) => {
    ctx.cluster = await startCluster(7111, 3, 1);
    ctx.servers = [];
    ctx.clients = [];
  });
  test.after.each(async (ctx) => {
    for (const c of ctx.clients) c.close();
    for (const s of ctx.servers) {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    await ctx.cluster.stop();
  });

  test('one room across both; its primary dies and its replica takes over without a lost message', async (ctx) => {
    const prefix = testPrefix();
    const args = clusterArgs(ctx.cluster, prefix);
    for (let i = 0; i < 2; i++) ctx.servers.push(await spawnServer(args, {}, 60_000));
    const [a, b] = ctx.servers as [ServerProcess, ServerProcess];
    const roomId = await createRoom(a.url);
    const join = async (srv: ServerProcess, name: string): Promise<TestClient> => {
      const c = await TestClient.connect(srv.url);
      ctx.clients.push(c);
      await c.join(roomId, name);
      return c;
    };
    const everyone = [await join(a, 'ann'), await join(a, 'art'), await join(b, 'bob')];
    for (const c of everyone) await c.waitFor(() => c.heldMembers().join() === 'ann,art,bob', 10_000);
    for (const c of everyone)
      for (let i = 0; i < 3; i++) assert.is((await c.say(`${c.name}:${i}`, {}, 10_000)).type, 'ack');
    for (const c of everyone) await c.waitFor(() => c.messages().length >= 9, 10_000);
    for (const c of everyone) assert.equal(view(c), view(everyone[0]!));

    // The primary that holds the room dies once its replica has everything; the replica is promoted.
    const primary = await ctx.cluster.primaryFor(`${prefix}:room:{${roomId}}`);
    await replicasCaughtUp(ctx.cluster, primary);
    const node = ctx.cluster.nodes.find((n) => n.port === primary)!;
    node.child.kill('SIGKILL');
    await node.exited;

    // Sends go on; those in the failover window are refused (temporary) and resent with the same id.
    const refusals = (await Promise.all(everyone.map((c) => sendUntilAcked(c, `after:${c.name}`, 30_000)))).flat();
    for (const r of refusals) assert.equal(r.type === 'error' && [r.code, r.temporary], ['storage-unavailable', true]);
    assert.not.equal(await ctx.cluster.primaryFor(`${prefix}:room:{${roomId}}`), primary, 'the replica took over');
    for (const c of everyone) await c.waitFor(() => c.messages().length >= 12, 15_000);
    const reference = view(everyone[0]!);
    for (const c of everyone) assert.equal(view(c), reference, `${c.name} sees the same history`);
    assert.equal(
      reference.map((x) => Number(x.split('|')[0])),
      Array.from({ length: 12 }, (_, i) => i + 1),
      'nothing acknowledged before the kill was lost, nothing numbered twice',
    );
  });

  test('a promoted replica that lacked the last writes: connected clients are told, and resume says so', async (ctx) => {
    const prefix = testPrefix();
    const args = clusterArgs(ctx.cluster, prefix);
    const srv = await spawnServer(args, {}, 60_000);
    ctx.servers.push(srv);
    const roomId = await createRoom(srv.url);
    const join = async (name: string): Promise<TestClient> => {
      const c = await TestClient.connect(srv.url);
      ctx.clients.push(c);
      await c.join(roomId, name);
      return c;
    };
    const [ann, bob] = [await join('ann'), await join('bob')] as [TestClient, TestClient];
    for (let i = 1; i <= 3; i++) assert.is((await ann.say(`kept ${i}`, {}, 10_000)).type, 'ack');
    await bob.waitFor(() => bob.messages().length === 3, 10_000);

    // The room's replica stops taking writes; three more are acknowledged by the primary alone.
    const primary = await ctx.cluster.primaryFor(`${prefix}:room:{${roomId}}`);
    await replicasCaughtUp(ctx.cluster, primary);
    const info = await ctx.cluster.cli(primary, 'info', 'replication');
    const replicaPort = Number(/slave0:ip=[^,]+,port=(\d+)/.exec(info)![1]);
    const replica = ctx.cluster.nodes.find((n) => n.port === replicaPort)!;
    // Stopped, and cut off: what the primary would still send would wait in the stopped replica's socket.
    replica.child.kill('SIGSTOP');
    await ctx.cluster.cli(primary, 'client', 'kill', 'type', 'replica');
    for (let i = 4; i <= 6; i++) assert.is((await ann.say(`lost ${i}`, {}, 10_000)).type, 'ack');
    await bob.waitFor(() => bob.messages().length === 6, 10_000);
    const held = bob.messages().at(-1)!;

    // The primary dies; the replica comes back without those writes and is promoted.
    const node = ctx.cluster.nodes.find((n) => n.port === primary)!;
    node.child.kill('SIGKILL');
    await node.exited;
    replica.child.kill('SIGCONT');
    // Until the election ends no primary serves the slot, and primaryFor throws.
    const servedBy = (): Promise<number | undefined> =>
      ctx.cluster.primaryFor(`${prefix}:room:{${roomId}}`).catch(() => undefined);
    for (let i = 0; i < 300 && (await servedBy()) !== replicaPort; i++) await new Promise((r) => setTimeout(r, 100));
    assert.is(await ctx.cluster.primaryFor(`${prefix}:room:{${roomId}}`), replicaPort, 'the replica took over');

    // The next message takes a number the clients hold for another one: every connected client is told.
    await sendUntilAcked(ann, 'after the failover', 30_000);
    for (const c of [ann, bob]) {
      const closed = await c.waitClosed(10_000);
      assert.is(closed.code, 4412, 'closed with history-rolled-back');
      assert.ok(
        c.frames.some((f) => f.type === 'closing' && f.code === 'history-rolled-back'),
        'a closing frame said why',
      );
      // No client was shown the reused number as a message.
      assert.equal(
        c.messages().map((m) => m.text),
        ['kept 1', 'kept 2', 'kept 3', 'lost 4', 'lost 5', 'lost 6'],
      );
    }

    // Coming back with what it held (seq 6 and its link), bob is told the history changed.
    const back = await TestClient.connect(srv.url);
    ctx.clients.push(back);
    const welcome = await back.join(roomId, 'bob', held.seq, held.chain);
    assert.ok(['ahead', 'rewritten'].includes(welcome.resume), `resume says so (was ${welcome.resume})`);
  });

  test.run();
}
