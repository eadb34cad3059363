/**
 * The failure of issue 13, reproduced: two instances share one Redis, which
 * is SIGKILLed and restarted from an append-only file older than its last
 * acknowledged writes. The next message reuses a seq that connected clients
 * already hold under another link: each instance sees that it does not match
 * what it delivered and tells every connected member (`closing`
 * `history-rolled-back`, close 4412) instead of going quiet. Clients that
 * come back get `ahead` or `rewritten` with a fresh snapshot, never `resumed`.
 *
 * The Redis here is the test's own (a port from 6411 up, a folder under /tmp), never
 * the shared one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ChatMessage, ClosingFrame } from '../../protocol/frames.js';
import { newIdentity, TestClient, textOf } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { OwnRedis } from '../helpers/own-redis.js';
import { createRoom } from '../helpers/server.js';

const PORTS = [6411, 6412, 6413, 6414, 6415, 6416, 6417, 6418, 6419];

// A minute to start: on a loaded machine tsx compiling the server can take longer than the default.
const start = (redis: OwnRedis): Promise<ServerProcess> =>
  spawnServer(
    ['--storage', 'redis', '--redis-url', redis.url, '--ping-interval', '1000ms', '--metrics', 'true'],
    {},
    60_000,
  );

/** An instance's count of rooms it closed for a rollback, from its Prometheus scrape. */
async function rollbacks(srv: ServerProcess): Promise<number> {
  const text = await (await fetch(`${srv.url}/metrics`)).text();
  return Number(/^tinychat_history_rollbacks_total (\d+)$/m.exec(text)?.[1]);
}

const texts = (ms: readonly ChatMessage[]): [number, string][] => ms.map((m) => [m.seq, m.text]);

test('a Redis restarted from an older append-only file: members are told, returning ones get ahead and rewritten', async () => {
  const redis = await OwnRedis.start(PORTS);
  const copy = join(mkdtempSync(join(tmpdir(), 'tiny-chat-aof-')), 'appendonlydir');
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];
  const connect = async (srv: ServerProcess, identity = newIdentity()): Promise<TestClient> => {
    const c = await TestClient.connect(srv.url, identity);
    clients.push(c);
    return c;
  };
  try {
    const [a, b] = await Promise.all([start(redis), start(redis)]);
    servers.push(a, b);
    const roomId = await createRoom(a.url);
    const writer = newIdentity();
    const w = await connect(a, writer);
    await w.join(roomId, 'writer');
    const reader = await connect(b);
    await reader.join(roomId, 'reader');

    for (const srv of servers) assert.is(await rollbacks(srv), 0);
    for (const text of ['one', 'two', 'three']) assert.is((await w.say(text)).type, 'ack');
    await reader.waitFor(() => reader.messages().length === 3);
    redis.copyData(copy);
    for (const text of ['four', 'five', 'six']) assert.is((await w.say(text)).type, 'ack');
    // Both hold all six before Redis goes back (the writer's own copy comes through the bus after its ack).
    for (const c of [reader, w]) await c.waitFor(() => c.messages().length === 6);
    const held = reader.messages();

    await redis.restartFrom(copy);

    // The writer sends on until a message is stored, through a new socket whenever one closes (its first
    // sends may meet Redis still reconnecting, answered `internal`, and its instance may close the room).
    const acked: { seq: number; text: string }[] = [];
    let w2: TestClient | undefined;
    for (let i = 0; i < 50 && (!reader.closed || acked.length === 0); i++) {
      if (!w2 || w2.closed) {
        w2 = await connect(a, writer);
        await w2.join(roomId, 'writer').catch(() => undefined);
      }
      const answer = await w2.say(`after ${i}`).catch(() => undefined);
      if (answer?.type === 'ack') acked.push({ seq: answer.seq, text: `after ${i}` });
      await new Promise((r) => setTimeout(r, 100));
    }
    // A send racing its socket's closing may be stored unacknowledged, so the first acknowledged one may be later.
    assert.ok(acked.length > 0 && acked[0]!.seq <= 6, `a seq clients held was reused: ${JSON.stringify(acked)}`);

    // Connected members were told, on both instances, and held nothing storage does not hold unless told.
    for (const c of [reader, w]) {
      const told = await c.waitFor((f): f is ClosingFrame => f.type === 'closing');
      assert.is(told.code, 'history-rolled-back');
      assert.is(told.reason, 'rollback');
      assert.is((await c.waitClosed()).code, 4412);
      assert.equal(texts(c.messages()), texts(held));
    }
    // Counted once per room on each instance that held it (each closed its own members).
    for (const srv of servers) assert.is(await rollbacks(srv), 1);

    // A client holding more than storage now has: ahead. One whose seq was reused: rewritten.
    const six = held[5]!;
    const back = await connect(b);
    const ahead = await back.join(roomId, 'back', six.seq, six.chain);
    // Unless enough new messages passed seq 6 that it was reused too.
    assert.is(ahead.resume, ahead.lastSeq < six.seq ? 'ahead' : 'rewritten');
    const four = held[3]!;
    const other = await connect(a);
    const rewritten = await other.join(roomId, 'other', four.seq, four.chain);
    assert.is(rewritten.resume, 'rewritten');
    assert.equal(
      rewritten.messages.slice(0, 3).map((m) => textOf(m)),
      ['one', 'two', 'three'],
    );
    assert.match(textOf(rewritten.messages[3]!) ?? '', /^after \d+$/);
    assert.is.not(rewritten.messages[3]!.chain, four.chain);
    const three = held[2]!;
    const resumer = await connect(b);
    assert.is((await resumer.join(roomId, 'resumer', three.seq, three.chain)).resume, 'resumed');
  } finally {
    for (const c of clients) c.close();
    for (const s of servers) {
      s.child.kill('SIGTERM');
      await s.exited;
    }
    await redis.stop();
    rmSync(join(copy, '..'), { recursive: true, force: true });
  }
});

test.run();
