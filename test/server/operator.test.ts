/**
 * The operator routes (server/http/operator.ts) on real servers and sockets:
 * absent without an admin token (404), refused with a wrong one (401), and
 * with it a listing of live rooms with member counts, paged, and an end that
 * closes a room's members on every instance sharing one Redis.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createRedisEventBus, createRedisStorage } from '../../adapters/redis/index.js';
import type { RoomListResponse } from '../../protocol/frames.js';
import { parseCli } from '../../server/options/command-line.js';
import { resolveOptions } from '../../server/options/resolve.js';
import { createMemoryStorage } from '../../adapters/memory.js';
import { TestClient } from '../helpers/client.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { createRoom, startServer } from '../helpers/server.js';

const TOKEN = 'op-token-0123456789-abcdefghijklmnopqrstuvwxyz';
const as = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

const test = suite('operator routes');

test('a refused admin token is named by its length, never shown', async () => {
  const storage = await createMemoryStorage();
  const short = 'tooShortSecret';
  assert.throws(
    () => resolveOptions({ storage, adminToken: short }),
    (e: Error) =>
      e.message ===
      'tiny-chat: option "adminToken" must be at least 32 characters of A-Z a-z 0-9 . _ ~ + / - (then =), got 14 characters',
  );
  const spaced = `${TOKEN} x`;
  for (const [argv, env] of [
    [['--admin-token', spaced], {}],
    [[], { TINY_CHAT_ADMIN_TOKEN: spaced }],
  ] as const) {
    assert.throws(
      () => parseCli(argv, env),
      (e: Error) => e.message.endsWith(`got ${spaced.length} characters`) && !e.message.includes(TOKEN),
    );
  }
  assert.is(parseCli([], { TINY_CHAT_ADMIN_TOKEN: TOKEN }).security.adminToken, TOKEN);
  await storage.close();
});

test('without an admin token the routes do not exist: 404, whatever is sent', async () => {
  const srv = await startServer();
  try {
    const roomId = await createRoom(srv.url);
    for (const headers of [{}, as(TOKEN)]) {
      const list = await fetch(`${srv.url}/rooms`, { headers });
      assert.is(list.status, 404);
      assert.is(((await list.json()) as { code: string }).code, 'not-found');
      const end = await fetch(`${srv.url}/rooms/${roomId}`, { method: 'DELETE', headers });
      assert.is(end.status, 404);
      assert.is(((await end.json()) as { code: string }).code, 'not-found');
    }
    assert.is((await fetch(`${srv.url}/rooms/${roomId}`)).status, 200, 'the room was not ended');
  } finally {
    await srv.stop();
  }
});

test('with an admin token, a missing, wrong or malformed one is 401 admin-token-invalid', async () => {
  const srv = await startServer({ adminToken: TOKEN });
  try {
    const roomId = await createRoom(srv.url);
    const wrong = [{}, as(`${TOKEN}x`), as(TOKEN.slice(0, -1)), { authorization: 'Basic abc' }, as('a b')];
    for (const headers of wrong) {
      const list = await fetch(`${srv.url}/rooms`, { headers });
      assert.is(list.status, 401, JSON.stringify(headers));
      assert.is(((await list.json()) as { code: string }).code, 'admin-token-invalid');
      const end = await fetch(`${srv.url}/rooms/${roomId}`, { method: 'DELETE', headers });
      assert.is(end.status, 401);
    }
    assert.is((await fetch(`${srv.url}/rooms/${roomId}`)).status, 200, 'the room was not ended');
  } finally {
    await srv.stop();
  }
});

test('GET /rooms lists live rooms with member counts, in pages', async () => {
  const srv = await startServer({ adminToken: TOKEN });
  const clients: TestClient[] = [];
  try {
    const ids = (await Promise.all([1, 2, 3].map(() => createRoom(srv.url)))).sort();
    for (const name of ['amy', 'ben']) {
      const c = await TestClient.connect(srv.url);
      clients.push(c);
      await c.join(ids[1]!, name);
    }
    const first = (await (await fetch(`${srv.url}/rooms?limit=2`, { headers: as(TOKEN) })).json()) as RoomListResponse;
    assert.equal(
      first.rooms.map((r) => r.roomId),
      ids.slice(0, 2),
    );
    assert.is(first.next, ids[1]);
    assert.is(first.rooms[1]!.memberCount, 2);
    assert.is(first.rooms[1]!.connections, 2);
    assert.is(first.rooms[0]!.memberCount, 0);
    assert.match(first.rooms[0]!.creator ?? '', /^ip:/);
    const rest = await fetch(`${srv.url}/rooms?limit=2&after=${first.next}`, { headers: as(TOKEN) });
    const second = (await rest.json()) as RoomListResponse;
    assert.equal(
      second.rooms.map((r) => r.roomId),
      [ids[2]],
    );
    assert.is(second.next, undefined);
    for (const q of ['limit=0', 'limit=1001', 'limit=x', 'after=..']) {
      const bad = await fetch(`${srv.url}/rooms?${q}`, { headers: as(TOKEN) });
      assert.is(bad.status, 400, q);
      assert.is(((await bad.json()) as { code: string }).code, 'bad-request');
    }
  } finally {
    for (const c of clients) c.close();
    await srv.stop();
  }
});

test('DELETE /rooms/:id ends the room: members get closing (ended), later lookups room-expired', async () => {
  const srv = await startServer({ adminToken: TOKEN });
  try {
    const roomId = await createRoom(srv.url);
    const amy = await TestClient.connect(srv.url);
    await amy.join(roomId, 'amy');
    const end = await fetch(`${srv.url}/rooms/${roomId}`, { method: 'DELETE', headers: as(TOKEN) });
    assert.is(end.status, 204);
    const closing = await amy.next('closing');
    assert.equal(closing, {
      type: 'closing',
      code: 'room-ended',
      reason: 'ended',
      message: 'The owner or an operator ended the room; the connection is closed.',
    });
    assert.is((await amy.waitClosed()).code, 4411);
    const after = await fetch(`${srv.url}/rooms/${roomId}`);
    assert.is(after.status, 410);
    assert.equal(await after.json(), {
      statusCode: 410,
      code: 'room-expired',
      message: 'The room has expired and was deleted.',
      reason: 'ended',
    });
    const again = await fetch(`${srv.url}/rooms/${roomId}`, { method: 'DELETE', headers: as(TOKEN) });
    assert.is(again.status, 410);
    const unknown = await fetch(`${srv.url}/rooms/AAAAAAAAAAAAAAAAAAAAAA`, { method: 'DELETE', headers: as(TOKEN) });
    assert.is(unknown.status, 404);
    assert.is(((await unknown.json()) as { code: string }).code, 'room-not-found');
  } finally {
    await srv.stop();
  }
});

if (await redisAvailable()) {
  test('on Redis, an end on one instance closes the members of every instance', async () => {
    const prefix = testPrefix();
    const opts = { url: REDIS_URL, prefix };
    const [storage, busA, busB] = await Promise.all([
      createRedisStorage(opts),
      createRedisEventBus(opts),
      createRedisEventBus(opts),
    ]);
    const a = await startServer({ storage, bus: busA, adminToken: TOKEN });
    const b = await startServer({ storage, bus: busB });
    try {
      const roomId = await createRoom(a.url);
      const onA = await TestClient.connect(a.url);
      const onB = await TestClient.connect(b.url);
      await onA.join(roomId, 'amy');
      await onB.join(roomId, 'ben');
      // b has no admin token: its operator routes do not exist, even on a shared storage.
      assert.is((await fetch(`${b.url}/rooms/${roomId}`, { method: 'DELETE', headers: as(TOKEN) })).status, 404);
      const listed = (await (await fetch(`${a.url}/rooms`, { headers: as(TOKEN) })).json()) as RoomListResponse;
      assert.equal(
        listed.rooms.map((r) => [r.roomId, r.memberCount]),
        [[roomId, 2]],
      );
      assert.is((await fetch(`${a.url}/rooms/${roomId}`, { method: 'DELETE', headers: as(TOKEN) })).status, 204);
      for (const c of [onA, onB]) {
        assert.is((await c.next('closing')).reason, 'ended');
        assert.is((await c.waitClosed()).code, 4411);
      }
      assert.is((await fetch(`${b.url}/rooms/${roomId}`)).status, 410);
    } finally {
      await a.stop();
      await b.stop();
      await Promise.all([storage.close(), busA.close(), busB.close()]);
      await dropPrefix(prefix);
    }
  });
}

test.run();
