/**
 * Moderation end to end on real sockets (memory storage): the owner claim,
 * each action refused for a member and done by the owner and by a moderator,
 * what the target's socket sees (closing, close code), joins refused while
 * kicked, banned or locked, slow mode, and `end`.
 */
import * as assert from 'uvu/assert';
import type { Entry, ModerationFrame, ServerFrame } from '../../protocol/frames.js';
import { newIdentity, type TestClient } from '../helpers/client.js';
import { createOwnedRoom, moderate, outcome, ownerClaim } from '../helpers/moderation.js';
import { connect, roomSuite } from '../helpers/room-suite.js';
import { staffedRoom } from '../helpers/staffed-room.js';

const test = roomSuite('moderation');

const isModeration = (f: ServerFrame): f is ModerationFrame => f.type === 'moderation';
const acts = (c: TestClient): string[] => c.frames.filter(isModeration).map((f) => f.entry.action.act);

test('POST /rooms with an owner claim: the room states its staff; a bad proof or old ts is no-owner-claim', async (ctx) => {
  const ownerId = newIdentity();
  const roomId = await createOwnedRoom(ctx.srv.url, ownerId);
  const info = (await (await fetch(`${ctx.srv.url}/rooms/${roomId}`)).json()) as Record<string, unknown>;
  assert.equal([info.owner, info.moderators, info.locked, info.slowModeMs], [ownerId.key, [], false, 0]);
  const post = async (owner: unknown): Promise<[number, string]> => {
    const res = await fetch(`${ctx.srv.url}/rooms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ owner }),
    });
    return [res.status, ((await res.json()) as { code: string }).code];
  };
  const other = newIdentity();
  assert.equal(await post({ ...ownerClaim(ownerId), key: other.key }), [400, 'no-owner-claim']);
  assert.equal(await post(ownerClaim(ownerId, Date.now() - 10 * 60_000)), [400, 'no-owner-claim']);
  // Without a claim: no owner, nobody can moderate.
  const plain = (await (await fetch(`${ctx.srv.url}/rooms/${ctx.roomId}`)).json()) as Record<string, unknown>;
  assert.is(plain.owner, null);
  const c = await connect(ctx);
  const welcome = await c.join(ctx.roomId, 'ann');
  assert.is(welcome.room.owner, null);
  assert.is(outcome(await moderate(c, { act: 'lock' })), 'not-moderator');
});

test('remove: refused for a member; the owner and a moderator replace a message by a tombstone for everyone', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  const said = [];
  for (const t of ['one', 'two', 'three']) {
    const ack = await member.say(t);
    assert.is(ack.type, 'ack');
    said.push(ack.type === 'ack' ? ack.seq : 0);
  }
  await owner.waitFor(() => owner.messages().length === 3);
  const [m1, m2] = owner.messages();
  assert.is(outcome(await moderate(member, { act: 'remove', seq: m1!.seq, chain: m1!.chain })), 'not-moderator');
  const wrong = await moderate(owner, { act: 'remove', seq: m1!.seq, chain: m2!.chain });
  assert.is(outcome(wrong), 'moderation-target-missing');
  assert.is(outcome(await moderate(owner, { act: 'remove', seq: m1!.seq, chain: m1!.chain })), 'ack');
  assert.is(outcome(await moderate(mod, { act: 'remove', seq: m2!.seq, chain: m2!.chain })), 'ack');
  // Every member hears both removes, in the room's order.
  for (const c of [owner, mod, member]) await c.waitFor(() => acts(c).filter((a) => a === 'remove').length === 2);
  const late = await connect(ctx);
  const welcome = await late.join(ctx.roomId, 'late');
  const bySeq = new Map<number, Entry>(welcome.messages.map((e) => [e.seq, e]));
  const t1 = bySeq.get(m1!.seq)!;
  assert.ok('kind' in t1 && t1.kind === 'removed');
  assert.not.ok('text' in t1);
  assert.is(t1.chain, m1!.chain);
  assert.is('kind' in t1 && t1.kind === 'removed' ? t1.removedBy.name : '', 'olga');
  const t2 = bySeq.get(m2!.seq)!;
  assert.is('kind' in t2 && t2.kind === 'removed' ? t2.removedBy.name : '', 'mo');
  assert.is(('text' in bySeq.get(said[2]!)! && (bySeq.get(said[2]!) as { text: string }).text) || '', 'three');
});

async function closedWith(c: TestClient): Promise<[string, string, number]> {
  const closing = await c.next('closing', 5000);
  const { code } = await c.waitClosed(5000);
  return [closing.code, closing.reason, code];
}

test('kick: refused for a member; closes the target with 4413; the key may rejoin only after forMs', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  const kick = { act: 'kick', target: member.identity.key, forMs: 60_000 } as const;
  assert.is(outcome(await moderate(member, { ...kick, target: mod.identity.key })), 'not-moderator');
  // A moderator may not kick the owner or another moderator.
  assert.is(outcome(await moderate(mod, { ...kick, target: owner.identity.key })), 'not-moderator');
  assert.is(outcome(await moderate(mod, kick)), 'ack');
  assert.equal(await closedWith(member), ['kicked', 'kicked', 4413]);
  await owner.waitFor(() => acts(owner).includes('kick'));

  const back = await connect(ctx, member.identity);
  back.sendJson(back.joinFrame(ctx.roomId, 'mem'));
  const refused = await back.next('error');
  assert.is(refused.code, 'kicked');
  assert.ok(refused.retryAfterMs! > 0 && refused.retryAfterMs! <= 60_000, String(refused.retryAfterMs));
  ctx.srv.clock.advance(60_001);
  const again = await connect(ctx, member.identity);
  assert.is((await again.join(ctx.roomId, 'mem')).name, 'mem');
  // The owner kicks too.
  assert.is(outcome(await moderate(owner, { ...kick, forMs: 1000 })), 'ack');
  assert.equal(await closedWith(again), ['kicked', 'kicked', 4413]);
});

test('ban and unban: the target is closed with 4414 and cannot rejoin until unbanned', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  assert.is(outcome(await moderate(member, { act: 'ban', target: mod.identity.key })), 'not-moderator');
  assert.is(outcome(await moderate(mod, { act: 'ban', target: owner.identity.key })), 'not-moderator');
  assert.is(outcome(await moderate(mod, { act: 'ban', target: member.identity.key })), 'ack');
  assert.equal(await closedWith(member), ['banned', 'banned', 4414]);
  const back = await connect(ctx, member.identity);
  back.sendJson(back.joinFrame(ctx.roomId, 'mem'));
  assert.is((await back.next('error')).code, 'banned');
  back.sendJson(back.joinFrame(ctx.roomId, 'mem'));
  assert.is((await back.next('error')).code, 'banned');
  assert.is(
    outcome(await moderate(back, { act: 'unban', target: member.identity.key }, { roomId: ctx.roomId })),
    'not-joined',
  );
  assert.is(outcome(await moderate(owner, { act: 'unban', target: member.identity.key })), 'ack');
  assert.is((await back.join(ctx.roomId, 'mem')).name, 'mem');
  // The owner bans as well; a moderator's ban of the owner stays refused above.
  assert.is(outcome(await moderate(owner, { act: 'ban', target: member.identity.key })), 'ack');
  assert.equal(await closedWith(back), ['banned', 'banned', 4414]);
});

test('lock: new keys are refused room-locked, members who hold a name rejoin; unlock opens it', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  assert.is(outcome(await moderate(member, { act: 'lock' })), 'not-moderator');
  assert.is(outcome(await moderate(mod, { act: 'lock' })), 'ack');
  const stranger = await connect(ctx);
  stranger.sendJson(stranger.joinFrame(ctx.roomId, 'new'));
  assert.is((await stranger.next('error')).code, 'room-locked');
  member.close();
  const back = await connect(ctx, member.identity);
  const welcome = await back.join(ctx.roomId, 'mem');
  assert.is(welcome.room.locked, true);
  assert.is(outcome(await moderate(owner, { act: 'unlock' })), 'ack');
  assert.is((await stranger.join(ctx.roomId, 'new')).name, 'new');
});

test('slow mode: a second message within the interval is slow-mode with retryAfterMs; 0 turns it off', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  assert.is(outcome(await moderate(member, { act: 'slow', intervalMs: 60_000 })), 'not-moderator');
  assert.is(outcome(await moderate(mod, { act: 'slow', intervalMs: 60_000 })), 'ack');
  await member.waitFor(() => acts(member).includes('slow'));
  assert.is((await member.say('first')).type, 'ack');
  const second = await member.say('second');
  assert.is(outcome(second), 'slow-mode');
  assert.ok(second.type === 'error' && second.retryAfterMs! > 50_000 && second.retryAfterMs! <= 60_000);
  // A member joining now is told, and held to it too.
  const late = await connect(ctx);
  assert.is((await late.join(ctx.roomId, 'late')).room.slowModeMs, 60_000);
  assert.is(outcome(await moderate(owner, { act: 'slow', intervalMs: 0 })), 'ack');
  await member.waitFor(() => acts(member).filter((a) => a === 'slow').length === 2);
  assert.is((await member.say('third')).type, 'ack');
  assert.is((await member.say('fourth')).type, 'ack');
});

test('promote and demote are the owner’s; a demoted moderator is refused', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  assert.is(outcome(await moderate(mod, { act: 'promote', target: member.identity.key })), 'not-moderator');
  assert.is(outcome(await moderate(member, { act: 'demote', target: mod.identity.key })), 'not-moderator');
  const late = await connect(ctx);
  assert.equal((await late.join(ctx.roomId, 'late')).room.moderators, [mod.identity.key]);
  assert.is(outcome(await moderate(owner, { act: 'demote', target: mod.identity.key })), 'ack');
  assert.is(outcome(await moderate(mod, { act: 'lock' })), 'not-moderator');
});

test('end: refused for a moderator; the owner ends the room and everyone is closed with 4411', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  assert.is(outcome(await moderate(mod, { act: 'end' })), 'not-moderator');
  assert.is(outcome(await moderate(member, { act: 'end' })), 'not-moderator');
  const ack = await moderate(owner, { act: 'end' });
  assert.equal(ack.type === 'ack' && [ack.seq, ack.duplicate], [0, false]);
  for (const c of [owner, mod, member]) assert.equal(await closedWith(c), ['room-ended', 'ended', 4411]);
  const after = await fetch(`${ctx.srv.url}/rooms/${ctx.roomId}`);
  assert.equal([after.status, ((await after.json()) as { reason: string }).reason], [410, 'ended']);
});

test('a version 2 client that ignores moderation frames and entries with a kind keeps working', async (ctx) => {
  const { owner, member } = await staffedRoom(ctx);
  // Written from the version 2 doc: it reads `message` frames and entries without a `kind`, nothing else.
  const old = await connect(ctx);
  const shown = (): string[] => old.messages().map((m) => m.text);
  await old.join(ctx.roomId, 'old');
  assert.is((await member.say('before')).type, 'ack');
  await old.waitFor(() => shown().length === 1);
  const before = old.messages()[0]!;
  assert.is(outcome(await moderate(owner, { act: 'remove', seq: before.seq, chain: before.chain })), 'ack');
  assert.is(outcome(await moderate(owner, { act: 'lock' })), 'ack');
  assert.is((await old.say('still here')).type, 'ack');
  assert.is((await member.say('after')).type, 'ack');
  await old.waitFor(() => shown().length === 3);
  assert.equal(shown(), ['before', 'still here', 'after']);
  // Its rejoin: it holds a name, so the lock lets it in; the history it reads skips what it does not know.
  old.close();
  const again = await connect(ctx, old.identity);
  const welcome = await again.join(ctx.roomId, 'old');
  assert.equal(
    welcome.messages.filter((e) => !('kind' in e)).map((e) => ('text' in e ? e.text : '')),
    ['still here', 'after'],
  );
});

test.run();
