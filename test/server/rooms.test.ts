import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer, type Running } from '../helpers/server.js';
import { ed25519 } from '../../server/verify/ed25519.js';

const test = suite<{ srv: Running }>('REST rooms');

test.before.each(async (ctx) => {
  ctx.srv = await startServer();
});
test.after.each(async (ctx) => {
  await ctx.srv.stop();
});

test('POST /rooms creates a room with its expiry times', async ({ srv }) => {
  const res = await fetch(`${srv.url}/rooms`, { method: 'POST' });
  assert.is(res.status, 201);
  const body = (await res.json()) as Record<string, unknown>;
  const now = srv.clock.now();
  assert.match(String(body['roomId']), /^[A-Za-z0-9_-]{22}$/);
  assert.is(res.headers.get('location'), `/rooms/${String(body['roomId'])}`);
  assert.equal(body, {
    roomId: body['roomId'],
    createdAt: now,
    expiresAt: now + 12 * 3600_000,
    idleTimeoutMs: 300_000,
    idleExpiresAt: now + 300_000,
    memberCount: 0,
    requireAuth: false,
    // Created without an owner claim: nobody can moderate it.
    owner: null,
    moderators: [],
    locked: false,
    slowModeMs: 0,
    maxLifetimeMs: 12 * 3600_000,
  });
});

test('room ids are 128 random bits and never repeat', async ({ srv }) => {
  const ids = await Promise.all(
    Array.from({ length: 200 }, async () => {
      const res = await fetch(`${srv.url}/rooms`, { method: 'POST' });
      return ((await res.json()) as { roomId: string }).roomId;
    }),
  );
  assert.is(new Set(ids).size, 200);
  for (const id of ids) assert.is(Buffer.from(id, 'base64url').length, 16);
  // Every one of the 128 bit positions takes both values across 200 ids (a fixed bit would be a broken generator).
  const bits = new Array<number>(128).fill(0);
  for (const id of ids) {
    const b = Buffer.from(id, 'base64url');
    for (let i = 0; i < 128; i++) bits[i]! += (b[i >> 3]! >> (7 - (i & 7))) & 1;
  }
  assert.ok(bits.every((n) => n > 0 && n < 200));
});

test('GET /rooms/:id returns metadata, or 404 with a code', async ({ srv }) => {
  const created = (await (await fetch(`${srv.url}/rooms`, { method: 'POST' })).json()) as { roomId: string };
  const res = await fetch(`${srv.url}/rooms/${created.roomId}`);
  assert.is(res.status, 200);
  const body = (await res.json()) as Record<string, unknown>;
  assert.is(body['roomId'], created.roomId);
  assert.is(body['memberCount'], 0);
  for (const id of ['AAAAAAAAAAAAAAAAAAAAAA', 'short', '..%2F..%2Fetc', 'x'.repeat(90)]) {
    const missing = await fetch(`${srv.url}/rooms/${id}`);
    assert.is(missing.status, 404, id);
    assert.equal(await missing.json(), {
      statusCode: 404,
      code: 'room-not-found',
      message: 'There is no room with this id.',
    });
  }
});

test('unknown paths and bad bodies get coded errors', async ({ srv }) => {
  const nf = await fetch(`${srv.url}/nope`);
  assert.is(nf.status, 404);
  assert.is(((await nf.json()) as { code: string }).code, 'not-found');
  const bad = await fetch(`${srv.url}/rooms`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{oops',
  });
  assert.is(bad.status, 400);
  assert.is(((await bad.json()) as { code: string }).code, 'bad-request');
});

test('the POST /rooms body is checked by its schema: refused whole, never coerced or trimmed', async ({ srv }) => {
  const post = async (body: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const res = await fetch(`${srv.url}/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const refusals: [string, string][] = [
    ['{"requireAuth":"true"}', '"requireAuth" must be a boolean.'],
    ['{"requireAuth":false,"creator":"me"}', 'Unknown field "creator".'],
    ['[]', 'The body must be an object.'],
    ['"x"', 'The body must be an object.'],
  ];
  for (const [body, message] of refusals) {
    assert.equal(await post(body), { status: 400, body: { statusCode: 400, code: 'bad-request', message } }, body);
  }
  for (const body of ['{}', 'null', '{"requireAuth":false}']) assert.is((await post(body)).status, 201, body);
});

test('CORS lets a host page on another origin create rooms', async ({ srv }) => {
  const res = await fetch(`${srv.url}/rooms`, { method: 'POST', headers: { origin: 'https://blog.example' } });
  assert.is(res.status, 201);
  assert.is(res.headers.get('access-control-allow-origin'), 'https://blog.example');
});

test('GET /healthz answers when storage does', async ({ srv }) => {
  const res = await fetch(`${srv.url}/healthz`);
  assert.is(res.status, 200);
  const body = (await res.json()) as { status: string; ed25519: string };
  assert.is(body.status, 'ok');
  // Which library verifies Ed25519 here, as the log says at start.
  assert.is(body.ed25519, ed25519.library);
});

test.run();

const down = suite('REST with storage down');

down('GET /healthz is 503, and a failing create is a coded 503 storage-unavailable without internals', async () => {
  const { createMemoryStorage } = await import('../../adapters/memory.js');
  const storage = await createMemoryStorage();
  const srv = await startServer({ storage });
  try {
    await storage.close();
    const health = await fetch(`${srv.url}/healthz`);
    assert.is(health.status, 503);
    assert.equal(await health.json(), { status: 'unavailable', reason: 'storage-error' });
    const res = await fetch(`${srv.url}/rooms`, { method: 'POST' });
    assert.is(res.status, 503);
    assert.equal(await res.json(), {
      statusCode: 503,
      code: 'storage-unavailable',
      message: 'Storage is not answering for a moment; try again shortly.',
    });
    // Storage is now known to be down: readiness says so without asking it.
    assert.equal(await (await fetch(`${srv.url}/readyz`)).json(), {
      status: 'unavailable',
      reason: 'storage-unavailable',
    });
  } finally {
    await srv.stop();
  }
});

down.run();
