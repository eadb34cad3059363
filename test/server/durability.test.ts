/**
 * SQLite durability with the real `tiny-chat` process: restarts keep rooms,
 * name pins and history; SIGKILL in the middle of a stream of sends loses no
 * acknowledged message and never breaks the order.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { AckFrame } from '../../protocol/frames.js';
import { newIdentity, TestClient, textOf } from '../helpers/client.js';
import { spawnServer } from '../helpers/process.js';
import { seededRandom } from '../helpers/random.js';
import { createRoom, FakeClock, startServer } from '../helpers/server.js';

const { random } = seededRandom('durability.test.ts');
const test = suite<{ dir: string; db: string }>('sqlite durability');

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'tiny-chat-durable-'));
  ctx.db = join(ctx.dir, 'chat.db');
});
test.after.each((ctx) => {
  rmSync(ctx.dir, { recursive: true, force: true });
});

// A cap above anything the stream sends, so every stored message stays readable for the checks.
const start = (db: string) => spawnServer(['--storage', 'sqlite', '--db', db, '--history-cap', '100000']);

/** What the file holds for a room, read directly (the server is down). */
function readBack(db: string, roomId: string): { integrity: string; rows: { seq: number; id: string }[] } {
  const conn = new Database(db, { readonly: true });
  try {
    const integrity = conn.pragma('integrity_check', { simple: true }) as string;
    const rows = conn
      .prepare<[string], { seq: number; id: string }>('SELECT seq, id FROM messages WHERE room_id = ? ORDER BY seq')
      .all(roomId);
    return { integrity, rows };
  } finally {
    conn.close();
  }
}

test('a restart keeps the room, the name pinned to the key, and the history', async ({ db }) => {
  const identity = newIdentity();
  let srv = await start(db);
  const roomId = await createRoom(srv.url);
  let c = await TestClient.connect(srv.url, identity);
  const first = await c.join(roomId, 'Ada');
  for (const text of ['one', 'two', 'three']) assert.is((await c.say(text)).type, 'ack');
  c.close();
  srv.child.kill('SIGTERM');
  await srv.exited;

  srv = await start(db);
  try {
    const other = await TestClient.connect(srv.url);
    const taken = await other.join(roomId, 'Ada');
    assert.is.not(taken.name, 'Ada', 'the pin survived: another key cannot take the name');
    other.close();
    c = await TestClient.connect(srv.url, identity);
    const again = await c.join(roomId, 'Someone else');
    assert.is(again.name, first.name);
    assert.equal(
      again.messages.map((m) => [m.seq, textOf(m)]),
      [
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
      ],
    );
    const ack = (await c.say('four')) as AckFrame;
    assert.is(ack.seq, 4);
    c.close();
  } finally {
    srv.child.kill('SIGTERM');
    await srv.exited;
  }
});

test('expiry carries on after a restart, counted from the stored times', async ({ db }) => {
  const clock = new FakeClock(1_700_000_000_000);
  let storage = await createSqliteStorage({ path: db });
  let srv = await startServer({ storage, clock });
  const idle = await createRoom(srv.url);
  const busy = await createRoom(srv.url);
  const c = await TestClient.connect(srv.url);
  await c.join(busy, 'Bo');
  clock.advance(4 * 60_000);
  assert.is((await c.say('still here', { ts: clock.now() })).type, 'ack');
  c.close();
  await srv.stop();
  await storage.close();

  // Down for two minutes: the idle room's five minutes ran out meanwhile, the busy one's did not.
  clock.advance(2 * 60_000);
  storage = await createSqliteStorage({ path: db });
  srv = await startServer({ storage, clock });
  try {
    assert.is((await fetch(`${srv.url}/rooms/${idle}`)).status, 410);
    assert.is((await fetch(`${srv.url}/rooms/${busy}`)).status, 200);
    clock.advance(12 * 3600_000);
    assert.is((await fetch(`${srv.url}/rooms/${busy}`)).status, 410);
  } finally {
    await srv.stop();
    await storage.close();
  }
});

test('SIGKILL while streaming: every acknowledged message survives, in order, with contiguous numbers', async ({
  db,
}) => {
  const ROUNDS = 8;
  const identity = newIdentity();
  let srv = await start(db);
  const roomId = await createRoom(srv.url);
  const acked = new Map<string, number>();
  /** Sent but not acknowledged when the server died: resent, with the same id, after the restart. */
  let unacked: ReturnType<TestClient['sendFrame']>[] = [];
  let name = '';
  let n = 0;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const c = await TestClient.connect(srv.url, identity);
      name = (await c.join(roomId, name || 'Streamer')).name;
      c.ws.on('message', (data) => {
        const f = JSON.parse((data as Buffer).toString()) as { type: string; id?: string; seq?: number };
        if (f.type === 'ack') acked.set(f.id!, f.seq!);
      });
      const inflight = new Map<string, ReturnType<TestClient['sendFrame']>>();
      for (const frame of unacked) {
        inflight.set(frame.id, frame);
        c.sendJson(frame);
      }
      // Keep sending until the kill lands somewhere in the stream.
      const killAt = Date.now() + 150 + random() * 250;
      while (Date.now() < killAt) {
        const frame = c.sendFrame(`message ${++n}`, { id: `m${n}` });
        inflight.set(frame.id, frame);
        c.sendJson(frame);
        if (n % 20 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      srv.child.kill('SIGKILL');
      await srv.exited;
      await c.waitClosed(5000).catch(() => undefined);
      unacked = [...inflight.values()].filter((f) => !acked.has(f.id));

      const { integrity, rows } = readBack(db, roomId);
      assert.is(integrity, 'ok', `round ${round}`);
      assert.equal(
        rows.map((r) => r.seq),
        rows.map((_, i) => i + 1),
        `round ${round}: contiguous from 1`,
      );
      const stored = new Map(rows.map((r) => [r.id, r.seq]));
      for (const [id, seq] of acked) assert.is(stored.get(id), seq, `round ${round}: acked ${id} kept as ${seq}`);
      assert.is(new Set(rows.map((r) => r.id)).size, rows.length, `round ${round}: no message stored twice`);
      srv = await start(db);
    }
    // The last restart's resends close the stream: every message ends up stored exactly once.
    const c = await TestClient.connect(srv.url, identity);
    await c.join(roomId, name);
    for (const frame of unacked) {
      const earlier = new Set(c.frames);
      c.sendJson(frame);
      const reply = await c.waitFor((f) => !earlier.has(f) && f.type === 'ack' && f.id === frame.id);
      acked.set(frame.id, (reply as AckFrame).seq);
    }
    c.close();
    assert.ok(acked.size >= ROUNDS, `sent ${n}, acknowledged ${acked.size}`);
    const seqs = [...acked.values()].sort((a, b) => a - b);
    assert.equal(
      seqs,
      seqs.map((_, i) => i + 1),
    );
    assert.is(acked.size, n, 'every message sent was finally stored once');
  } finally {
    srv.child.kill('SIGTERM');
    await srv.exited;
  }
});

test.run();
