/**
 * The abuse limits, each with its documented code, over real loopback sockets.
 * No assertion depends on how fast the machine is: rates are checked against
 * the time the test measured itself.
 */
import type { Socket } from 'node:net';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';
import type { ErrorFrame } from '../../protocol/frames.js';
import { TestClient, isJoin, isLeave } from '../helpers/client.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';
import type { CreateServerOptions } from '../../server/index.js';

interface Ctx {
  srv: Running;
  clients: TestClient[];
}

const test = suite<Ctx>('abuse limits');

test.before.each((ctx) => {
  ctx.clients = [];
});
test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  await ctx.srv.stop();
});

async function serve(ctx: Ctx, options: Partial<CreateServerOptions>): Promise<Running> {
  ctx.srv = await startServer(options);
  return ctx.srv;
}

async function joined(ctx: Ctx, roomId: string, name: string, from?: TestClient): Promise<TestClient> {
  const c = await TestClient.connect(ctx.srv.url, from?.identity);
  ctx.clients.push(c);
  await c.join(roomId, name);
  return c;
}

/** Sends `n` messages without waiting, then waits for every answer. */
async function burst(c: TestClient, n: number): Promise<{ acks: number; limited: ErrorFrame[]; ms: number }> {
  const frames = Array.from({ length: n }, (_, i) => c.sendFrame(`burst ${i}`));
  const start = performance.now();
  for (const f of frames) c.sendJson(f);
  const answers = await Promise.all(
    frames.map((f) => c.waitFor((x) => (x.type === 'ack' && x.id === f.id) || (x.type === 'error' && x.ref === f.id))),
  );
  const ms = performance.now() - start;
  const limited = answers.filter((a): a is ErrorFrame => a.type === 'error');
  for (const e of limited) assert.is(e.code, 'rate-limited');
  return { acks: answers.filter((a) => a.type === 'ack').length, limited, ms };
}

test('a socket over its message rate gets rate-limited with retryAfterMs; the socket stays open and nothing is stored', async (ctx) => {
  const srv = await serve(ctx, { connectionMessageRate: { perSecond: 2, burst: 3 } });
  const roomId = await createRoom(srv.url);
  const c = await joined(ctx, roomId, 'alice');
  const { acks, limited, ms } = await burst(c, 8);
  assert.ok(acks >= 3, `the burst of 3 passes (${acks})`);
  assert.ok(acks <= 3 + Math.ceil((ms * 2) / 1000), `no more than the rate allows (${acks} in ${ms} ms)`);
  assert.ok(limited.length > 0);
  for (const e of limited) {
    assert.is(e.temporary, true);
    assert.is(e.category, 'rate-limited');
    assert.ok(e.retryAfterMs! > 0 && e.retryAfterMs! <= 500, `retryAfterMs ${e.retryAfterMs}`);
  }
  const stored = await srv.storage.readMessages(roomId, { limit: 100 }, srv.clock.now());
  assert.is('messages' in stored && stored.messages.length, acks);
  assert.is(c.closed, undefined);
  // After the advised wait, a message goes through on the same socket.
  await new Promise((r) => setTimeout(r, limited.at(-1)!.retryAfterMs));
  assert.is((await c.say('later')).type, 'ack');
});

test("one user's sockets share the user's budget", async (ctx) => {
  const srv = await serve(ctx, { userMessageRate: { perSecond: 1, burst: 4 } });
  const roomId = await createRoom(srv.url);
  const a = await joined(ctx, roomId, 'bob');
  const b = await joined(ctx, roomId, 'bob', a);
  const [ra, rb] = await Promise.all([burst(a, 4), burst(b, 4)]);
  const acks = ra.acks + rb.acks;
  assert.ok(acks >= 4 && acks <= 4 + Math.ceil(Math.max(ra.ms, rb.ms) / 1000), `${acks} acks`);
  assert.ok(ra.limited.length + rb.limited.length > 0);
  // Someone else is not affected.
  const carol = await joined(ctx, roomId, 'carol');
  assert.is((await carol.say('hi')).type, 'ack');
});

/** Opens a raw upgrade and reports the HTTP answer if it is not a 101. */
function tryUpgrade(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/ws`, { headers });
    ws.on('upgrade', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

test('an upgrade from an origin outside the allowlist gets 403 origin-not-allowed, never a 101', async (ctx) => {
  const srv = await serve(ctx, { wsOrigins: ['https://blog.example'] });
  const evil = await tryUpgrade(srv.url, { origin: 'https://evil.example' });
  assert.is(evil.status, 403);
  assert.is((JSON.parse(evil.body) as { code: string }).code, 'origin-not-allowed');
  assert.is((await tryUpgrade(srv.url, { origin: 'https://blog.example' })).status, 101);
  // No Origin: not a browser, so not a cross-site page.
  assert.is((await tryUpgrade(srv.url)).status, 101);
});

test('connections per IP are capped with 429 too-many-connections, and a closed one frees its slot', async (ctx) => {
  const srv = await serve(ctx, { maxConnectionsPerIp: 3 });
  for (let i = 0; i < 3; i++) ctx.clients.push(await TestClient.connect(srv.url));
  const over = await tryUpgrade(srv.url);
  assert.is(over.status, 429);
  assert.is((JSON.parse(over.body) as { code: string }).code, 'too-many-connections');
  // Plain HTTP requests to /ws are not sockets and are not counted.
  for (let i = 0; i < 5; i++) assert.is.not((await fetch(`${srv.url}/ws`)).status, 429);
  ctx.clients[0]!.close();
  await ctx.clients[0]!.waitClosed();
  for (let tries = 0; ; tries++) {
    // The server counts the slot free once it sees the TCP close; poll until then.
    assert.ok(tries < 200, 'the slot was never freed');
    const again = await tryUpgrade(srv.url);
    if (again.status === 101) break;
    assert.is(again.status, 429);
    await new Promise((r) => setTimeout(r, 20));
  }
});

test('REST requests over the rate get 429 rate-limited with retryAfterMs', async (ctx) => {
  const srv = await serve(ctx, { restRateMax: 3, restRateWindowMs: 60_000 });
  for (let i = 0; i < 3; i++) assert.is((await fetch(`${srv.url}/rooms/AAAAAAAAAAAAAAAAAAAAAA`)).status, 404);
  const res = await fetch(`${srv.url}/rooms`, { method: 'POST' });
  assert.is(res.status, 429);
  const body = (await res.json()) as { code: string; retryAfterMs: number };
  assert.is(body.code, 'rate-limited');
  assert.ok(body.retryAfterMs > 0 && body.retryAfterMs <= 60_000);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
});

test('a socket that never joins is closed with 4408 join-timeout; a joined one stays', async (ctx) => {
  const srv = await serve(ctx, { joinTimeoutMs: 300 });
  const roomId = await createRoom(srv.url);
  const idle = await TestClient.connect(srv.url);
  ctx.clients.push(idle);
  const member = await joined(ctx, roomId, 'dora');
  const closed = await idle.waitClosed();
  assert.is(closed.code, 4408);
  assert.is(closed.reason, 'join-timeout');
  assert.is((idle.frames.at(-1) as ErrorFrame).code, 'join-timeout');
  // Later than the idle one's deadline, the member is still served.
  assert.is((await member.say('still here')).type, 'ack');
});

test('a client that stops reading is closed with 4503 slow-consumer; the others get every message', async (ctx) => {
  // A grace longer than the test, so the stuck client can still read the close when it reads again.
  const srv = await serve(ctx, {
    maxBufferedBytes: 64 * 1024,
    maxTextLength: 16_000,
    maxFrameBytes: 64 * 1024,
    closeGraceMs: 60_000,
  });
  const roomId = await createRoom(srv.url);
  const sender = await joined(ctx, roomId, 'sender');
  const reader = await joined(ctx, roomId, 'reader');
  const stuck = await joined(ctx, roomId, 'stuck');
  const tcp = (stuck.ws as unknown as { _socket: Socket })._socket;
  tcp.pause();
  const serverSide = (): WebSocket[] => [...srv.app.websocketServer.clients];
  const text = 'x'.repeat(15_000);
  let sent = 0;
  // Until the kernel buffers between server and the stuck client are full and ws starts queueing.
  while (serverSide().every((ws) => ws.readyState === WebSocket.OPEN)) {
    assert.ok(sent < 4000, 'the stuck client was never closed');
    const batch = Array.from({ length: 50 }, () => sender.say(text));
    for (const answer of await Promise.all(batch)) assert.is(answer.type, 'ack');
    sent += 50;
  }
  await reader.waitFor(() => reader.messages().length === sent, 10_000);
  assert.is(reader.closed, undefined);
  // Reading again, the stuck client finds the close frame behind what was queued.
  tcp.resume();
  const closed = await stuck.waitClosed(20_000);
  assert.is(closed.code, 4503);
  assert.is(closed.reason, 'slow-consumer');
});

test('a slow consumer that stays stalled leaves the member list at once and is cut after the close grace', async (ctx) => {
  const graceMs = 500;
  const srv = await serve(ctx, {
    maxBufferedBytes: 64 * 1024,
    maxTextLength: 16_000,
    maxFrameBytes: 64 * 1024,
    closeGraceMs: graceMs,
    metrics: true,
  });
  const roomId = await createRoom(srv.url);
  const sender = await joined(ctx, roomId, 'sender');
  const reader = await joined(ctx, roomId, 'reader');
  const stuck = await joined(ctx, roomId, 'stuck');
  await reader.waitFor((f) => isJoin(f, 'stuck'));
  const tcp = (stuck.ws as unknown as { _socket: Socket })._socket;
  tcp.pause();
  const serverSide = (): WebSocket[] => [...srv.app.websocketServer.clients];
  const text = 'x'.repeat(15_000);
  let sent = 0;
  while (serverSide().every((ws) => ws.readyState === WebSocket.OPEN)) {
    assert.ok(sent < 4000, 'the stuck client was never closed');
    await Promise.all(Array.from({ length: 50 }, () => sender.say(text)));
    sent += 50;
  }
  const closedAt = performance.now();
  // Its leave reaches the others without waiting for the close handshake.
  await reader.waitFor((f) => isLeave(f, 'stuck'), 2000);
  // The server does not wait for ws's 30 s close timeout, nor for a ping (30 s by default).
  while (serverSide().length > 2) {
    assert.ok(performance.now() - closedAt < graceMs + 2000, 'the stalled socket was not cut after the grace');
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(reader.heldMembers(), ['reader', 'sender']);
  const scrape = await (await fetch(`${srv.url}/metrics`)).text();
  assert.match(scrape, /^tinychat_slow_consumer_closes_total 1$/m);
  tcp.resume();
});

test.run();

const http = suite('HTTP timeouts');

/** Opens a TCP connection, writes `text`, and resolves when the server closes it. */
async function rawHttp(url: string, text: string): Promise<string> {
  const { connect } = await import('node:net');
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let got = '';
    socket.on('data', (d) => (got += d.toString()));
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

http('headers that never finish (slowloris) are cut at headersTimeout with a 408', async () => {
  const srv = await startServer({ headersTimeoutMs: 300, requestTimeoutMs: 1000 });
  try {
    const got = await rawHttp(srv.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n');
    assert.match(got, /^HTTP\/1\.1 408/);
  } finally {
    await srv.stop();
  }
});

http('an idle keep-alive connection is closed after keepAliveTimeout; a WebSocket outlives both timeouts', async () => {
  const srv = await startServer({ keepAliveTimeoutMs: 200, headersTimeoutMs: 200, requestTimeoutMs: 300 });
  try {
    const ws = await TestClient.connect(srv.url);
    const got = await rawHttp(srv.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    assert.match(got, /^HTTP\/1\.1 200/);
    assert.match(got, /"status":"ok"/);
    // rawHttp resolved: the server closed the idle keep-alive connection. The WebSocket is not an idle request.
    // A request whose body never comes, opened after the WebSocket, is cut at requestTimeout by the same
    // periodic check that would cut the older WebSocket if it counted as a request.
    const slow = await rawHttp(
      srv.url,
      'POST /rooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n',
    );
    assert.match(slow, /^HTTP\/1\.1 408/, JSON.stringify(slow));
    // A pong proves the WebSocket still open after that check.
    await ws.roundTrip();
    assert.is(ws.closed, undefined);
    ws.close();
  } finally {
    await srv.stop();
  }
});

http('bad timeouts are refused at start', async () => {
  for (const [options, message] of [
    [{ headersTimeoutMs: 0 }, /"headersTimeoutMs" must be a positive integer/],
    [{ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }, /must not exceed "requestTimeoutMs"/],
  ] as const) {
    try {
      await startServer(options);
      assert.unreachable('accepted');
    } catch (err) {
      assert.match((err as Error).message, message);
    }
  }
});

http.run();
