/**
 * server/storage-guard.ts, server/http/operations.ts and the ioredis
 * listeners (adapters/redis/connection.ts), against a real `tiny-chat`
 * process on a Redis of the test's own: stalled with SIGSTOP, then killed
 * with SIGKILL and started again. Clients keep their sockets through both;
 * what storage cannot do is answered with `storage-unavailable` at once,
 * /healthz and /readyz answer 503 within the probe bound, and the log tells
 * the outage once instead of once per failed call.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ErrorFrame, ServerFrame } from '../../protocol/frames.js';
import { TestClient } from '../helpers/client.js';
import { OwnRedis } from '../helpers/own-redis.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { createRoom } from '../helpers/server.js';

interface Ctx {
  redis: OwnRedis;
  srv: ServerProcess;
  clients: TestClient[];
}

const test = suite<Ctx>('storage outage (own redis-server, real server process)');

test.before.each(async (ctx) => {
  ctx.clients = [];
  ctx.redis = await OwnRedis.start();
  // A ping period far below the storage deadline: a paused socket sees many pings while it waits.
  ctx.srv = await spawnServer([
    '--storage',
    'redis',
    '--redis-url',
    ctx.redis.url,
    '--storage-timeout',
    '3s',
    '--ping-interval',
    '500ms',
  ]);
});

test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  ctx.srv.child.kill('SIGKILL');
  await ctx.srv.exited;
  await ctx.redis.stop();
});

async function client(ctx: Ctx): Promise<TestClient> {
  const c = await TestClient.connect(ctx.srv.url);
  ctx.clients.push(c);
  return c;
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, ms: performance.now() - t0 };
}

async function health(url: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const isError = (f: ServerFrame): f is ErrorFrame => f.type === 'error';

test('a stall: a sender keeps its socket, every queued send and a join get storage-unavailable, health answers at once', async (ctx) => {
  const { url } = ctx.srv;
  const roomId = await createRoom(url);
  const a = await client(ctx);
  await a.join(roomId, 'amy');
  assert.is((await a.say('before')).type, 'ack');
  assert.equal((await health(url, '/readyz')).status, 200);

  ctx.redis.signal('SIGSTOP');
  // Nothing failed yet: /healthz asks storage itself, and gives up within its bound.
  const h = await timed(() => health(url, '/healthz'));
  assert.is(h.value.status, 503);
  assert.is(h.value.body['reason'], 'storage-timeout');
  assert.ok(h.ms < 2500, `/healthz took ${Math.round(h.ms)} ms`);

  // More than the 64 frames that pause reading: the socket is paused for the whole storage deadline.
  const frames = Array.from({ length: 100 }, (_, i) => a.sendFrame(`during ${i}`));
  for (const f of frames) a.sendJson(f);
  const answered = await timed(() =>
    a.waitFor(() => frames.every((f) => a.frames.some((x) => isError(x) && x.ref === f.id)), 15_000),
  );
  for (const f of frames) {
    const e = a.frames.find((x): x is ErrorFrame => isError(x) && x.ref === f.id)!;
    assert.is(e.code, 'storage-unavailable');
    assert.is(e.temporary, true);
  }
  assert.ok(answered.ms < 10_000, `answers took ${Math.round(answered.ms)} ms`);

  // Storage is known to be down now: health and readiness answer without asking it.
  const down = await timed(() => health(url, '/healthz'));
  assert.equal([down.value.status, down.value.body['reason']], [503, 'storage-unavailable']);
  assert.ok(down.ms < 500, `/healthz took ${Math.round(down.ms)} ms`);
  assert.equal((await health(url, '/readyz')).body, { status: 'unavailable', reason: 'storage-unavailable' });

  // A join during the outage is refused at once, not left to its join timeout.
  const b = await client(ctx);
  b.sendJson(b.joinFrame(roomId, 'bob'));
  const refused = await timed(() => b.waitFor(isError, 3000));
  assert.is(refused.value.code, 'storage-unavailable');
  assert.is(refused.value.ref, 'join');

  // Many ping periods later, the paused-then-drained sender is still connected.
  await new Promise((r) => setTimeout(r, 2000));
  assert.is(a.closed, undefined);

  ctx.redis.signal('SIGCONT');
  await waitUntil(async () => (await health(url, '/readyz')).status === 200, 10_000);
  assert.is((await a.say('after')).type, 'ack');
  await b.join(roomId, 'bob');
  // amy's presence expired during the stall; the next heartbeat adds it back (a join for bob).
  await b.waitFor(() => b.heldMembers().join() === 'amy,bob', 5000);
  const out = ctx.srv.output();
  assert.equal(errorLines(out, /"msg":"storage unavailable/), [], 'no other error line');
  assert.is(count(out, '"msg":"storage unavailable'), 1, 'the outage is logged once when it starts');
  assert.is(count(out, '"msg":"storage answers again"'), 1, 'and once when it ends');
});

test('an outage: Redis killed and started again; no unhandled ioredis error, one line per connection each way', async (ctx) => {
  const { url } = ctx.srv;
  const roomId = await createRoom(url);
  const a = await client(ctx);
  await a.join(roomId, 'amy');
  assert.is((await a.say('before')).type, 'ack');

  await ctx.redis.kill();
  const answer = await timed(() => a.say('during'));
  assert.is((answer.value as ErrorFrame).code, 'storage-unavailable');
  assert.ok(answer.ms < 5000, `the send was answered after ${Math.round(answer.ms)} ms`);
  const h = await timed(() => health(url, '/healthz'));
  assert.is(h.value.status, 503);
  assert.ok(h.ms < 1500, `/healthz took ${Math.round(h.ms)} ms`);
  // ioredis retries many times meanwhile.
  await new Promise((r) => setTimeout(r, 3000));

  await ctx.redis.restart();
  await waitUntil(async () => (await health(url, '/readyz')).status === 200, 10_000);
  await waitUntil(async () => count(ctx.srv.output(), '"msg":"redis reachable again"') === 4, 10_000);
  assert.is((await a.say('after')).type, 'ack');
  assert.is(a.closed, undefined);

  const out = ctx.srv.output();
  assert.not.match(out, 'Unhandled error event');
  assert.equal(errorLines(out, /"msg":"(storage unavailable|redis unreachable)/), [], 'no other error line');
  // Storage, publisher, subscriber and rate buckets: each connection tells its outage once, whatever the retries.
  assert.is(count(out, '"msg":"redis unreachable"'), 4);
  assert.is(count(out, '"msg":"storage unavailable'), 1);
});

/** Lines logged at error (50) or above, but for the expected ones. */
function errorLines(text: string, expected: RegExp): string[] {
  return text.split('\n').filter((l) => /"level":[5-6]\d/.test(l) && !expected.test(l));
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test.run();
