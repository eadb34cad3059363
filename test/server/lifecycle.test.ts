import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRoom, passTime, startServer, type Running } from '../helpers/server.js';
import { TestClient } from '../helpers/client.js';

const MIN = 60_000;
const test = suite<{ srv: Running }>('room lifecycle');

test.before.each(async (ctx) => {
  // The sweep timer is left at an hour: these tests run each sweep themselves, after moving the fake clock.
  ctx.srv = await startServer({ sweepIntervalMs: 3_600_000 });
});
test.after.each(async (ctx) => {
  await ctx.srv.stop();
});

async function getRoom(srv: Running, roomId: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${srv.url}/rooms/${roomId}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

test('a room nobody uses is deleted after the idle timeout', async ({ srv }) => {
  const roomId = await createRoom(srv.url);
  srv.clock.advance(5 * MIN - 1);
  await srv.app.tinyChat.sweep();
  assert.is((await getRoom(srv, roomId)).status, 200);
  srv.clock.advance(1);
  await srv.app.tinyChat.sweep();
  const gone = await getRoom(srv, roomId);
  assert.is(gone.status, 410);
  assert.equal(gone.body, {
    statusCode: 410,
    code: 'room-expired',
    message: 'The room has expired and was deleted.',
    reason: 'idle',
  });
  const c = await TestClient.connect(srv.url);
  c.sendJson(c.joinFrame(roomId, 'late'));
  const err = await c.next('error');
  assert.is(err.code, 'room-expired');
  assert.is((err as { reason?: string }).reason, 'idle');
  c.close();
});

test('a connected member keeps the room alive; the idle clock starts when the last one leaves', async ({ srv }) => {
  const roomId = await createRoom(srv.url);
  const c = await TestClient.connect(srv.url);
  await c.join(roomId, 'stayer');
  await passTime(srv, 30 * MIN);
  await srv.app.tinyChat.sweep();
  const info = await getRoom(srv, roomId);
  assert.is(info.status, 200);
  assert.is(info.body['idleExpiresAt'], null);
  assert.is(info.body['memberCount'], 1);
  c.close();
  await c.waitClosed();
  // Wait until the server has processed the close (the member count drops).
  for (let i = 0; i < 100 && (await getRoom(srv, roomId)).body['memberCount'] !== 0; i++)
    await new Promise((r) => setTimeout(r, 10));
  const left = await getRoom(srv, roomId);
  assert.is(left.body['idleExpiresAt'], srv.clock.now() + 5 * MIN);
  srv.clock.advance(5 * MIN);
  await srv.app.tinyChat.sweep();
  assert.is((await getRoom(srv, roomId)).status, 410);
});

test('at its maximum lifetime a room is deleted; members are told, then closed with 4410', async ({ srv }) => {
  const roomId = await createRoom(srv.url);
  const a = await TestClient.connect(srv.url);
  const b = await TestClient.connect(srv.url);
  await a.join(roomId, 'amy');
  await b.join(roomId, 'ben');
  // Keep it busy: activity does not extend the hard deadline.
  for (let h = 0; h < 12; h++) {
    await passTime(srv, 60 * MIN - 1);
    await a.say(`hour ${h}`, { ts: srv.clock.now() });
    await srv.app.tinyChat.sweep();
  }
  assert.is((await getRoom(srv, roomId)).status, 200);
  await passTime(srv, 12);
  await srv.app.tinyChat.sweep();
  for (const c of [a, b]) {
    const closing = await c.next('closing');
    assert.equal(closing, {
      type: 'closing',
      code: 'room-closed',
      reason: 'expired',
      message: 'The room reached its maximum lifetime.',
    });
    assert.equal(await c.waitClosed(), { code: 4410, reason: 'room-closed' });
  }
  assert.is((await getRoom(srv, roomId)).body['code'], 'room-expired');
});

test('sending to a room that expired before the sweep ran is refused', async ({ srv }) => {
  const roomId = await createRoom(srv.url);
  const a = await TestClient.connect(srv.url);
  await a.join(roomId, 'amy');
  srv.clock.advance(12 * 60 * MIN);
  const reply = await a.say('too late', { ts: srv.clock.now() });
  assert.is(reply.type === 'error' && reply.code, 'room-expired');
  a.sendJson({ type: 'history', before: 5 });
  assert.is((await a.next('error')).code, 'room-expired');
  a.close();
});

test('expiry limits are configurable', async () => {
  const srv = await startServer({ idleTimeoutMs: 1000, maxLifetimeMs: 5000, sweepIntervalMs: 3_600_000 });
  try {
    const res = await fetch(`${srv.url}/rooms`, { method: 'POST' });
    const body = (await res.json()) as Record<string, number>;
    assert.is(body['idleTimeoutMs'], 1000);
    assert.is(body['maxLifetimeMs'], 5000);
    assert.is(body['expiresAt']! - body['createdAt']!, 5000);
    assert.is(body['idleExpiresAt']! - body['createdAt']!, 1000);
  } finally {
    await srv.stop();
  }
});

test.run();
