/**
 * Presence that storage lost while its socket lived: an instance that
 * stalled past the presence TTL (a long GC pause, a suspended VM, a clock
 * jump) has its entries swept as if it had died. Its next heartbeat adds
 * them back, so members come back to everyone's list without reconnecting.
 */
import * as assert from 'uvu/assert';
import { isJoin, isLeave } from '../helpers/client.js';
import { connect, roomSuite } from '../helpers/room-suite.js';

// Long enough that the real ping timer never runs during a test: the test drives the heartbeat itself.
const PING = 60_000;
const test = roomSuite('presence lost and restored', { pingIntervalMs: PING });

test('members swept while their sockets lived come back at the next heartbeat', async (ctx) => {
  const a = await connect(ctx);
  await a.join(ctx.roomId, 'amy');
  const b = await connect(ctx);
  await b.join(ctx.roomId, 'ben');
  await a.waitFor((f) => isJoin(f, 'ben'));

  // The process "stalls": the presence TTL (3 pings) passes with no heartbeat, and a sweep runs first.
  ctx.srv.clock.advance(3 * PING + 1000);
  await ctx.srv.app.tinyChat.sweep();
  await a.waitFor((f) => isLeave(f, 'ben'));
  assert.equal(a.heldMembers(), []);

  await ctx.srv.app.tinyChat.refreshPresence();
  await a.waitFor((f) => isJoin(f, 'amy'));
  await a.waitFor(() => a.heldMembers().join() === 'amy,ben');
  await b.waitFor(() => b.heldMembers().join() === 'amy,ben');
  assert.equal(a.presenceLog().slice(-2).sort(), ['join amy 2', 'join ben 2']);
  const info = (await (await fetch(`${ctx.srv.url}/rooms/${ctx.roomId}`)).json()) as { memberCount: number };
  assert.is(info.memberCount, 2);

  // Restored entries are ordinary again: the next heartbeat extends them and restores nothing.
  const before = a.frames.length;
  await ctx.srv.app.tinyChat.refreshPresence();
  assert.is((await a.say('still here', { ts: ctx.srv.clock.now() })).type, 'ack');
  assert.equal(
    a.frames.slice(before).filter((f) => f.type === 'presence'),
    [],
  );
});

test.run();
