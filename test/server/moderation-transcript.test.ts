/**
 * Transcripts of a moderated room (real server, sockets, signatures): the
 * export holds actions and tombstones and the staff as of its first entry,
 * the verifier accepts tombstones named by a remove signed by the owner or a
 * moderator, and rejects one the server made on its own, one whose link is
 * not the one the remove names, and a remove whose actor was not staff.
 */
import * as assert from 'uvu/assert';
import type { RemovedEntryFile, Transcript } from '../../protocol/transcript.js';
import { verifyTranscript, type Verification } from '../../protocol/verify-transcript.js';
import type { TestClient } from '../helpers/client.js';
import { moderate, outcome } from '../helpers/moderation.js';
import { roomSuite, type RoomContext } from '../helpers/room-suite.js';
import { staffedRoom } from '../helpers/staffed-room.js';
import { exportRequest, fetchTranscript } from '../helpers/transcript.js';

const test = roomSuite('moderated transcripts', { historyCap: 6, historyPage: 5 });

const fails = (v: Verification): string[] =>
  v.findings.filter((f) => f.level === 'fail').map((f) => `${f.seq ?? '-'}: ${f.text}`);

/** Says `texts`; the acks' seqs and the members' copies' links. */
async function say(c: TestClient, texts: string[]): Promise<number[]> {
  const seqs = [];
  for (const t of texts) {
    const ack = await c.say(t, {}, 30_000);
    assert.is(ack.type, 'ack');
    if (ack.type === 'ack') seqs.push(ack.seq);
  }
  return seqs;
}

async function removeSeq(by: TestClient, from: TestClient, seq: number): Promise<void> {
  const m = await from.waitFor((f) => f.type === 'message' && f.seq === seq);
  assert.ok(m.type === 'message');
  assert.is(outcome(await moderate(by, { act: 'remove', seq, chain: m.chain })), 'ack');
}

async function exported(ctx: RoomContext, who: TestClient): Promise<Transcript> {
  const res = await fetchTranscript(ctx.srv.url, ctx.roomId, exportRequest(ctx.roomId, who.identity, Date.now()));
  assert.is(res.status, 200);
  return (await res.json()) as Transcript;
}

test('a moderated room exports a transcript that verifies: actions, tombstones, the staff at its start', async (ctx) => {
  const { owner, mod, member } = await staffedRoom(ctx);
  const [, second] = await say(member, ['one', 'two', 'three']);
  await removeSeq(mod, member, second!);
  assert.is(outcome(await moderate(owner, { act: 'demote', target: mod.identity.key })), 'ack');
  const t = await exported(ctx, member);
  assert.equal(fails(await verifyTranscript(t)), []);
  assert.equal(t.staff, { owner: owner.identity.key, moderators: [] });
  assert.equal(
    t.entries.map((e) => e.kind),
    ['action', 'message', 'removed', 'message', 'action', 'action'],
  );
  const tomb = t.entries[2] as RemovedEntryFile;
  assert.not.ok('text' in tomb);
  assert.is(tomb.removedBy.name, 'mo');

  // The server erases a message on its own and calls it removed: no remove names it.
  const forged = structuredClone(t);
  const erased: Record<string, unknown> = { ...forged.entries[3], kind: 'removed', removedBy: tomb.removedBy };
  delete erased.text;
  (forged.entries as unknown[])[3] = erased;
  assert.match(fails(await verifyTranscript(forged)).join('\n'), /4: .*no remove by the owner or a moderator/);

  // A tombstone under another link than the one the remove signed.
  const relinked = structuredClone(t);
  (relinked.entries[2] as { chain: string }).chain = t.entries[3]!.chain;
  assert.match(fails(await verifyTranscript(relinked)).join('\n'), /another link than the one this remove names/);

  // A file claiming the removed message is still there with its text.
  const kept = structuredClone(t);
  (kept.entries as unknown[])[2] = { ...t.entries[3], seq: 3, chain: tomb.chain, kind: 'message' };
  assert.not.ok((await verifyTranscript(kept)).ok);
});

test('trimmed: the staff as of the first entry stands for the trimmed promote; a remover not staff is rejected', async (ctx) => {
  const { mod, member } = await staffedRoom(ctx);
  const seqs = await say(member, ['m2', 'm3', 'm4', 'm5']);
  await removeSeq(mod, member, seqs[1]!);
  await say(member, ['m7', 'm8']);
  const t = await exported(ctx, member);
  assert.is(t.firstSeq, 3);
  assert.equal(fails(await verifyTranscript(t)), []);
  assert.equal(t.staff?.moderators, [mod.identity.key]);
  assert.is(t.entries[0]!.kind, 'removed');

  const demoted = structuredClone(t);
  (demoted.staff as { moderators: unknown[] }).moderators = [];
  const found = fails(await verifyTranscript(demoted)).join('\n');
  assert.match(found, /neither the owner nor a moderator/);
  assert.match(found, /3: .*no remove by the owner or a moderator/);
});

test.run();
