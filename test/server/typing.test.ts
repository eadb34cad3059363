/**
 * The `typing` frame (docs/protocol.md): forwarded to every other socket of
 * the room, never to its sender, never stored, at most one per socket per
 * TYPING_INTERVAL_MS, refused before join, and carried across instances by
 * the same event channel as presence (two servers on one real Redis).
 *
 * A frame that must not arrive is proven absent by a later frame that the
 * server sends after it would have: the sender's own next message.
 */
import * as assert from 'uvu/assert';
import { suite } from 'uvu';
import { createRedisStorage } from '../../adapters/redis.js';
import type { Storage } from '../../adapters/types.js';
import type { ServerFrame } from '../../protocol/frames.js';
import { TYPING_INTERVAL_MS } from '../../protocol/limits.js';
import { TestClient } from '../helpers/client.js';
import { dropPrefix, REDIS_URL, redisAvailable, testPrefix } from '../helpers/redis.js';
import { connect, roomSuite } from '../helpers/room-suite.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

const test = roomSuite('typing');

const typingNames = (frames: readonly ServerFrame[]): string[] =>
  frames.flatMap((f) => (f.type === 'typing' ? [f.name] : []));

/** The frames `c` received before the message with this text (which must arrive). */
async function framesBefore(c: TestClient, text: string): Promise<ServerFrame[]> {
  const marker = await c.waitFor((f) => f.type === 'message' && f.text === text);
  return c.frames.slice(0, c.frames.indexOf(marker));
}

test('goes to every other socket in the room, a second tab of the sender too, never to the sender', async (ctx) => {
  const amy = await connect(ctx);
  await amy.join(ctx.roomId, 'amy');
  const amyTab2 = await connect(ctx, amy.identity);
  await amyTab2.join(ctx.roomId, 'amy');
  const ben = await connect(ctx);
  await ben.join(ctx.roomId, 'ben');

  amy.sendJson({ type: 'typing' });
  const got = await ben.waitFor((f) => f.type === 'typing');
  assert.equal(got, { type: 'typing', name: 'amy' });
  await amyTab2.waitFor((f) => f.type === 'typing');

  assert.is((await amy.say('marker', { ts: ctx.srv.clock.now() })).type, 'ack');
  assert.equal(typingNames(await framesBefore(amy, 'marker')), []);
  assert.not.ok(
    amy.frames.some((f) => f.type === 'error'),
    'typing is never answered',
  );
  assert.equal(typingNames(await framesBefore(ben, 'marker')), ['amy']);
});

test('is never stored, never in history, and is not room activity', async (ctx) => {
  const amy = await connect(ctx);
  await amy.join(ctx.roomId, 'amy');
  const ben = await connect(ctx);
  await ben.join(ctx.roomId, 'ben');
  const before = await ctx.srv.storage.getRoom(ctx.roomId, ctx.srv.clock.now());
  assert.is(before.status, 'live');
  ctx.srv.clock.advance(TYPING_INTERVAL_MS);

  amy.sendJson({ type: 'typing' });
  await ben.waitFor((f) => f.type === 'typing');
  const after = await ctx.srv.storage.getRoom(ctx.roomId, ctx.srv.clock.now());
  if (before.status !== 'live' || after.status !== 'live') throw new Error('room not live');
  assert.is(after.room.lastSeq, 0);
  assert.is(after.room.lastActiveAt, before.room.lastActiveAt, 'typing does not move the idle clock');

  const late = await connect(ctx);
  const welcome = await late.join(ctx.roomId, 'cleo');
  assert.equal(welcome.messages, []);
  assert.is(welcome.lastSeq, 0);
  late.sendJson({ type: 'history', before: 1 });
  const page = await late.next('history');
  assert.equal(page.messages, []);
  assert.equal(typingNames(late.frames), [], 'a later joiner is not told of past typing');
});

test('frames faster than TYPING_INTERVAL_MS on one socket are dropped silently', async (ctx) => {
  const amy = await connect(ctx);
  await amy.join(ctx.roomId, 'amy');
  const ben = await connect(ctx);
  await ben.join(ctx.roomId, 'ben');
  const say = (text: string) => amy.say(text, { ts: ctx.srv.clock.now() });

  for (let i = 0; i < 5; i++) amy.sendJson({ type: 'typing' });
  await say('one');
  assert.equal(typingNames(await framesBefore(ben, 'one')), ['amy'], 'a burst of five forwards one');

  ctx.srv.clock.advance(TYPING_INTERVAL_MS - 1);
  amy.sendJson({ type: 'typing' });
  await say('two');
  assert.equal(typingNames(await framesBefore(ben, 'two')), ['amy'], 'still inside the interval');

  ctx.srv.clock.advance(1);
  amy.sendJson({ type: 'typing' });
  await say('three');
  assert.equal(typingNames(await framesBefore(ben, 'three')), ['amy', 'amy'], 'a full interval later');
  assert.not.ok(
    amy.frames.some((f) => f.type === 'error'),
    'dropping is not an error',
  );
});

test('each socket has its own interval', async (ctx) => {
  const amy = await connect(ctx);
  await amy.join(ctx.roomId, 'amy');
  const ben = await connect(ctx);
  await ben.join(ctx.roomId, 'ben');
  const cleo = await connect(ctx);
  await cleo.join(ctx.roomId, 'cleo');
  amy.sendJson({ type: 'typing' });
  await cleo.waitFor((f) => f.type === 'typing' && f.name === 'amy');
  ben.sendJson({ type: 'typing' });
  await cleo.waitFor((f) => f.type === 'typing' && f.name === 'ben');
});

test('before join it is refused with not-joined; extra fields are an invalid frame', async (ctx) => {
  const c = await connect(ctx);
  c.sendJson({ type: 'typing' });
  const refused = await c.next('error');
  assert.is(refused.code, 'not-joined');
  assert.is(refused.ref, 'typing');
  c.sendJson({ type: 'typing', name: 'mallory' });
  const invalid = await c.next('error');
  assert.is(invalid.code, 'invalid-frame');
});

test.run();

if (await redisAvailable()) {
  const redis = suite<{ prefix: string; storages: Storage[]; servers: Running[]; clients: TestClient[] }>(
    'typing across two instances on Redis',
  );
  redis.before.each((ctx) => {
    ctx.prefix = testPrefix();
    ctx.storages = [];
    ctx.servers = [];
    ctx.clients = [];
  });
  redis.after.each(async (ctx) => {
    for (const c of ctx.clients) c.close();
    for (const s of ctx.servers) await s.stop();
    for (const s of ctx.storages) await s.close();
    await dropPrefix(ctx.prefix);
  });

  redis('reaches the room on the other instance, never the sender', async (ctx) => {
    for (let i = 0; i < 2; i++) {
      const storage = await createRedisStorage({ url: REDIS_URL, prefix: ctx.prefix });
      ctx.storages.push(storage);
      ctx.servers.push(await startServer({ storage }));
    }
    const [a, b] = ctx.servers as [Running, Running];
    const roomId = await createRoom(a.url);
    const join = async (srv: Running, name: string): Promise<TestClient> => {
      const c = await TestClient.connect(srv.url);
      ctx.clients.push(c);
      await c.join(roomId, name);
      return c;
    };
    const amy = await join(a, 'amy');
    const ann = await join(a, 'ann');
    const bob = await join(b, 'bob');

    amy.sendJson({ type: 'typing' });
    assert.equal(await bob.waitFor((f) => f.type === 'typing'), { type: 'typing', name: 'amy' });
    await ann.waitFor((f) => f.type === 'typing' && f.name === 'amy');
    assert.is((await amy.say('marker')).type, 'ack');
    assert.equal(typingNames(await framesBefore(amy, 'marker')), []);

    bob.sendJson({ type: 'typing' });
    await amy.waitFor((f) => f.type === 'typing' && f.name === 'bob');
    await ann.waitFor((f) => f.type === 'typing' && f.name === 'bob');
  });

  redis.run();
}
