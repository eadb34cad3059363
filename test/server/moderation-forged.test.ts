/**
 * Forged and replayed `moderate` frames are refused: a member's own signature
 * (not-moderator), the owner's frame sent by someone else (bad-signature, as
 * it is checked against the sender's joined key), the owner's frame for one
 * room sent into another (bad-signature), and a moderator's frame signed
 * before a demote and sent after it (not-moderator). Also the frame's
 * schema, its time, and its id's dedupe.
 */
import * as assert from 'uvu/assert';
import { newIdentity } from '../helpers/client.js';
import { createOwnedRoom, moderate, moderateFrame, outcome, sendModerate } from '../helpers/moderation.js';
import { connect, roomSuite } from '../helpers/room-suite.js';

const test = roomSuite('forged moderation frames');

test('forgeries and replays are refused, and nothing is stored for them', async (ctx) => {
  const ownerId = newIdentity();
  const roomA = await createOwnedRoom(ctx.srv.url, ownerId);
  const roomB = await createOwnedRoom(ctx.srv.url, ownerId);
  const owner = await connect(ctx, ownerId);
  const mod = await connect(ctx);
  const member = await connect(ctx);
  await owner.join(roomA, 'olga');
  await mod.join(roomA, 'mo');
  await member.join(roomA, 'mem');
  const ownerInB = await connect(ctx, ownerId);
  await ownerInB.join(roomB, 'olga');

  // A member signing its own action is not staff.
  assert.is(outcome(await moderate(member, { act: 'lock' })), 'not-moderator');
  // The owner's signed frame, sent by a member: checked against the member's key.
  const ownersLock = moderateFrame(owner, { act: 'lock' });
  assert.is(outcome(await sendModerate(member, ownersLock)), 'bad-signature');
  // A member's frame signed with a key it does not hold.
  const signedByOther = moderateFrame(member, { act: 'lock' }, { signer: newIdentity() });
  assert.is(outcome(await sendModerate(member, signedByOther)), 'bad-signature');
  // The owner's frame for room A, replayed into room B: as is (wrong room), or renamed (the signature binds A).
  assert.is(outcome(await sendModerate(ownerInB, ownersLock)), 'wrong-room');
  assert.is(outcome(await sendModerate(ownerInB, { ...ownersLock, roomId: roomB })), 'bad-signature');

  // A moderator's frame signed while it was one, sent after the owner demoted it.
  assert.is(outcome(await moderate(owner, { act: 'promote', target: mod.identity.key })), 'ack');
  const early = moderateFrame(mod, { act: 'kick', target: member.identity.key, forMs: 60_000 });
  assert.is(outcome(await moderate(owner, { act: 'demote', target: mod.identity.key })), 'ack');
  assert.is(outcome(await sendModerate(mod, early)), 'not-moderator');
  assert.is(member.closed, undefined);

  // Time, schema, dedupe.
  assert.is(outcome(await moderate(owner, { act: 'lock' }, { ts: Date.now() - 10 * 60_000 })), 'clock-skew');
  const bad = { ...moderateFrame(owner, { act: 'lock' }), action: { act: 'lock', extra: 1 } };
  owner.sendJson(bad);
  const refused = await owner.waitFor((f) => f.type === 'error' && f.ref === bad.id);
  assert.is(outcome(refused), 'invalid-frame');
  const lock = moderateFrame(owner, { act: 'lock' });
  const first = await sendModerate(owner, lock);
  const again = await sendModerate(owner, lock);
  assert.ok(first.type === 'ack' && again.type === 'ack');
  assert.equal([again.seq, again.duplicate], [first.seq, true]);
  const other = moderateFrame(owner, { act: 'unlock' }, { id: lock.id });
  assert.is(outcome(await sendModerate(owner, other)), 'replay');

  // Room B saw none of it: no action stored there.
  const info = (await (await fetch(`${ctx.srv.url}/rooms/${roomB}`)).json()) as { locked: boolean };
  assert.is(info.locked, false);
  const page = await connect(ctx);
  const welcome = await page.join(roomB, 'peek');
  assert.equal(welcome.messages, []);
});

test.run();
