/**
 * server/metrics.ts and /metrics: off by default (no route), and on, a
 * scrape after real traffic over loopback sockets shows every metric of
 * docs/metrics.md moving by what the test did.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { TestClient } from '../helpers/client.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

interface Ctx {
  srv: Running;
  clients: TestClient[];
}

const test = suite<Ctx>('prometheus metrics');

test.before.each((ctx) => {
  ctx.clients = [];
});
test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  await ctx.srv.stop();
});

/** Every sample of a scrape, by its name with labels as printed (`name{label="v"}`). */
async function scrape(url: string): Promise<Map<string, number>> {
  const res = await fetch(`${url}/metrics`);
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', 'text/plain');
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

test('off by default: no /metrics route', async (ctx) => {
  ctx.srv = await startServer();
  assert.is((await fetch(`${ctx.srv.url}/metrics`)).status, 404);
});

test('on: sockets, rooms, joins, acks, refusals, resumes, storage latency, verify depth and loop lag move with traffic', async (ctx) => {
  const srv = (ctx.srv = await startServer({ metrics: true }));
  const before = await scrape(srv.url);
  assert.is(before.get('tinychat_sockets'), 0);
  assert.is(before.get('tinychat_joins_total'), 0);

  const roomId = await createRoom(srv.url);
  const a = await TestClient.connect(srv.url);
  ctx.clients.push(a);
  await a.join(roomId, 'amy');
  for (let i = 0; i < 5; i++) assert.is((await a.say(`hello ${i}`)).type, 'ack');
  // A resend of a stored message: a duplicate ack.
  const again = a.sendFrame('again');
  a.sendJson(again);
  await a.waitFor((f) => f.type === 'ack' && f.id === again.id);
  a.sendJson(again);
  await a.waitFor((f) => f.type === 'ack' && f.id === again.id && f.duplicate);
  // A refusal: signed for another name.
  assert.is(((await a.say('forged', { name: 'someone' })) as { code: string }).code, 'bad-signature');

  const b = await TestClient.connect(srv.url);
  ctx.clients.push(b);
  await b.join(roomId, 'bob', 2);

  const after = await scrape(srv.url);
  assert.is(after.get('tinychat_sockets'), 2);
  assert.is(after.get('tinychat_rooms'), 1);
  assert.is(after.get('tinychat_joins_total'), 2);
  assert.is(after.get('tinychat_acks_total{duplicate="false"}'), 6);
  assert.is(after.get('tinychat_acks_total{duplicate="true"}'), 1);
  assert.is(after.get('tinychat_refusals_total{code="bad-signature"}'), 1);
  assert.is(after.get('tinychat_resumes_total{outcome="fresh"}'), 1);
  assert.is(after.get('tinychat_resumes_total{outcome="resumed"}'), 1);
  assert.is(after.get('tinychat_storage_seconds_count{op="appendMessage",result="ok"}'), 7);
  assert.ok((after.get('tinychat_storage_seconds_count{op="getRoom",result="ok"}') ?? 0) >= 2);
  assert.ok(after.get('tinychat_storage_seconds_sum{op="appendMessage",result="ok"}')! > 0);
  assert.is(after.get('tinychat_verify_queue_depth'), 0);
  assert.ok(after.has('tinychat_event_loop_lag_seconds{quantile="0.99"}'));
  assert.ok(after.get('tinychat_event_loop_lag_seconds{quantile="mean"}')! >= 0);

  a.close();
  b.close();
  await a.waitClosed();
  await b.waitClosed();
  // The sockets' close handling (their leave) runs after the close event.
  const deadline = Date.now() + 3000;
  while ((await scrape(srv.url)).get('tinychat_sockets') !== 0) {
    assert.ok(Date.now() < deadline, 'the socket gauge did not fall back to 0');
    await new Promise((r) => setTimeout(r, 20));
  }
});

test('two servers in one process keep their own counts', async (ctx) => {
  ctx.srv = await startServer({ metrics: true });
  const other = await startServer({ metrics: true });
  try {
    const roomId = await createRoom(ctx.srv.url);
    const a = await TestClient.connect(ctx.srv.url);
    ctx.clients.push(a);
    await a.join(roomId, 'amy');
    assert.is((await scrape(ctx.srv.url)).get('tinychat_joins_total'), 1);
    assert.is((await scrape(other.url)).get('tinychat_joins_total'), 0);
  } finally {
    await other.stop();
  }
});

test.run();
