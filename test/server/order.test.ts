import * as assert from 'uvu/assert';
import { connect, roomSuite, type RoomContext } from '../helpers/room-suite.js';
import { textOf } from '../helpers/client.js';

const test = roomSuite('order, resume and history', { historyCap: 30, historyPage: 5 });

async function joined(ctx: RoomContext, name: string, since?: number) {
  const c = await connect(ctx);
  const welcome = await c.join(ctx.roomId, name, since);
  return { c, welcome };
}

test('three concurrent senders, three readers: every reader ends with the identical sequence', async (ctx) => {
  const readers = await Promise.all(['r1', 'r2', 'r3'].map((n) => joined(ctx, n)));
  const senders = await Promise.all(['s1', 's2', 's3'].map((n) => joined(ctx, n)));
  const perSender = 8;
  await Promise.all(
    senders.map(async ({ c }) => {
      const frames = Array.from({ length: perSender }, (_, i) =>
        c.sendFrame(`${c.name}:${i}`, { ts: ctx.srv.clock.now() }),
      );
      for (const f of frames) c.sendJson(f); // all in flight at once
      for (const f of frames) await c.waitFor((x) => x.type === 'ack' && x.id === f.id);
    }),
  );
  const total = 3 * perSender;
  const views = await Promise.all(
    [...readers, ...senders].map(async ({ c }) => {
      await c.waitFor(() => c.messages().length >= total);
      return c.messages().map((m) => `${m.seq}|${m.name}|${textOf(m)}`);
    }),
  );
  for (const v of views) assert.equal(v, views[0]);
  const seqs = views[0]!.map((x) => Number(x.split('|')[0]));
  assert.equal(
    seqs,
    Array.from({ length: total }, (_, i) => i + 1),
  );
  // Each sender's own messages keep the order it sent them in.
  for (const { c } of senders) {
    const own = views[0]!.filter((x) => x.split('|')[1] === c.name).map((x) => x.split('|')[2]);
    assert.equal(
      own,
      Array.from({ length: perSender }, (_, i) => `${c.name}:${i}`),
    );
  }
});

test('a burst far above the read-pause mark is handled completely and in order', async (ctx) => {
  const { c } = await joined(ctx, 'burst');
  const frames = Array.from({ length: 300 }, (_, i) => c.sendFrame(`b${i}`, { ts: ctx.srv.clock.now() }));
  for (const f of frames) c.sendJson(f);
  await c.waitFor(() => c.frames.filter((f) => f.type === 'ack').length === 300, 10_000);
  const acks = c.frames.filter((f) => f.type === 'ack');
  assert.equal(
    acks.map((a) => (a.type === 'ack' ? a.seq : 0)),
    Array.from({ length: 300 }, (_, i) => i + 1),
  );
});

test('a reconnecting client gets exactly what it missed', async (ctx) => {
  const { c: writer } = await joined(ctx, 'writer');
  const { c: reader } = await joined(ctx, 'reader');
  for (let i = 1; i <= 3; i++) await writer.say(`before ${i}`, { ts: ctx.srv.clock.now() });
  await reader.waitFor(() => reader.messages().length === 3);
  const last = reader.messages().at(-1)!.seq;
  reader.close();
  await reader.waitClosed();
  for (let i = 1; i <= 4; i++) await writer.say(`missed ${i}`, { ts: ctx.srv.clock.now() });
  const back = await connect(ctx, reader.identity);
  const welcome = await back.join(ctx.roomId, 'reader', last);
  assert.is(welcome.resume, 'resumed');
  assert.equal(
    welcome.messages.map((m) => textOf(m)),
    ['missed 1', 'missed 2', 'missed 3', 'missed 4'],
  );
  assert.equal(
    welcome.messages.map((m) => m.seq),
    [4, 5, 6, 7],
  );
  // And then the live stream continues without a gap.
  await writer.say('live', { ts: ctx.srv.clock.now() });
  const live = await back.next('message');
  assert.is(live.seq, 8);
});

test('a client whose history is gone is told so and gets a fresh snapshot', async (ctx) => {
  const { c: writer } = await joined(ctx, 'writer');
  for (let i = 1; i <= 40; i++) await writer.say(`m${i}`, { ts: ctx.srv.clock.now() });
  const { welcome } = await joined(ctx, 'late', 3);
  assert.is(welcome.resume, 'history-gone');
  assert.is(welcome.firstSeq, 11);
  assert.is(welcome.lastSeq, 40);
  assert.equal(
    welcome.messages.map((m) => m.seq),
    [36, 37, 38, 39, 40],
  );
  // Exactly at the edge of what is stored, the resume still works.
  const { welcome: edge } = await joined(ctx, 'edge', 10);
  assert.is(edge.resume, 'resumed');
  assert.is(edge.messages.length, 30);
  assert.is(edge.messages[0]?.seq, 11);
});

test('a client ahead of the room gets a fresh snapshot', async (ctx) => {
  const { c: writer } = await joined(ctx, 'writer');
  await writer.say('one', { ts: ctx.srv.clock.now() });
  const { welcome } = await joined(ctx, 'future', 99);
  assert.is(welcome.resume, 'ahead');
  assert.equal(
    welcome.messages.map((m) => textOf(m)),
    ['one'],
  );
  const { welcome: current } = await joined(ctx, 'current', 1);
  assert.is(current.resume, 'resumed');
  assert.equal(current.messages, []);
});

test('history pages back before a sequence number, capped at N', async (ctx) => {
  const { c: writer } = await joined(ctx, 'writer');
  for (let i = 1; i <= 35; i++) await writer.say(`m${i}`, { ts: ctx.srv.clock.now() });
  const { c, welcome } = await joined(ctx, 'pager');
  assert.equal(
    welcome.messages.map((m) => m.seq),
    [31, 32, 33, 34, 35],
  );
  c.sendJson({ type: 'history', before: 31 });
  const page = await c.next('history');
  assert.equal(
    page.messages.map((m) => m.seq),
    [26, 27, 28, 29, 30],
  );
  assert.is(page.firstSeq, 6);
  c.sendJson({ type: 'history', before: 9, limit: 100 });
  const start = await c.next('history');
  assert.equal(
    start.messages.map((m) => m.seq),
    [6, 7, 8],
  );
  c.sendJson({ type: 'history', before: 6 });
  assert.equal((await c.next('history')).messages, []);
});

test.run();
