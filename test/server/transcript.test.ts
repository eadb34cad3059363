/**
 * A transcript of a real chat (real server, loopback sockets, real
 * signatures) verifies, and each kind of tampering is caught by the verifier
 * with a finding at the right seq. Also who may export: only a fresh
 * signature by a key that holds a name in the room.
 */
import * as assert from 'uvu/assert';
import { messageSigningBytes } from '../../protocol/canonical.js';
import { verifyTranscript, type Verification } from '../../protocol/verify-transcript.js';
import type { MessageEntry, Transcript, WellKnown } from '../../protocol/transcript.js';
import { newIdentity, signBytes } from '../helpers/client.js';
import { connect, roomSuite, type RoomContext } from '../helpers/room-suite.js';
import { exportRequest, fetchTranscript } from '../helpers/transcript.js';
import { newServerKeyRecord, signerOf } from '../../server/transcript/server-key.js';

const test = roomSuite('transcript export and verification', { historyCap: 8, historyPage: 5 });

/** A chat of `n` messages between two members; returns alice's identity and the exported transcript. */
async function chat(ctx: RoomContext, n: number) {
  const alice = await connect(ctx);
  const bob = await connect(ctx);
  await alice.join(ctx.roomId, 'alice');
  await bob.join(ctx.roomId, 'bob');
  for (let i = 1; i <= n; i++) {
    const who = i % 2 ? alice : bob;
    // The first signature check waits for the verify threads to start, which a loaded machine makes slow.
    const ack = await who.say(`message ${i}: héllo 👋`, { ts: ctx.srv.clock.now() }, i === 1 ? 30_000 : 3000);
    assert.is(ack.type, 'ack');
  }
  const res = await fetchTranscript(
    ctx.srv.url,
    ctx.roomId,
    exportRequest(ctx.roomId, alice.identity, ctx.srv.clock.now()),
  );
  assert.is(res.status, 200);
  return { alice, bob, transcript: (await res.json()) as Transcript };
}

async function wellKnown(ctx: RoomContext): Promise<WellKnown> {
  const res = await fetch(`${ctx.srv.url}/.well-known/tiny-chat.json`);
  assert.is(res.status, 200);
  return (await res.json()) as WellKnown;
}

const fails = (v: Verification): string[] =>
  v.findings.filter((f) => f.level === 'fail').map((f) => `${f.seq ?? '-'}: ${f.text}`);
const clone = (t: Transcript): Transcript => structuredClone<Transcript>(t);
const messages = (t: Transcript): MessageEntry[] => t.entries as MessageEntry[];

test('a real chat exports a transcript that verifies against the key the server publishes', async (ctx) => {
  const { transcript } = await chat(ctx, 5);
  const known = await wellKnown(ctx);
  assert.is(known.transcript, 'tiny-chat-transcript/1');
  assert.is(known.verify, '/verify');
  assert.equal(transcript.head.key, known.key);
  assert.is(transcript.firstSeq, 1);
  assert.is(transcript.lastSeq, 5);
  assert.equal(
    messages(transcript).map((m) => [m.seq, m.name]),
    [
      [1, 'alice'],
      [2, 'bob'],
      [3, 'alice'],
      [4, 'bob'],
      [5, 'alice'],
    ],
  );
  const v = await verifyTranscript(transcript, { trustedKey: known.key.pub });
  assert.equal(fails(v), []);
  assert.ok(v.ok);
  // Without a trusted key it still verifies, and says whose key it relied on.
  const untrusted = await verifyTranscript(transcript);
  assert.ok(untrusted.ok);
  assert.ok(untrusted.findings.some((f) => f.level === 'note' && f.text.includes(known.key.pub)));
});

test('one changed character in a text is caught at its seq', async (ctx) => {
  const { transcript } = await chat(ctx, 4);
  const t = clone(transcript);
  const m = messages(t)[2]!;
  (m as { text: string }).text = m.text.replace('3', '4');
  const v = await verifyTranscript(t);
  assert.not.ok(v.ok);
  assert.ok(v.findings.some((f) => f.level === 'fail' && f.seq === 3 && f.text.includes('signature')));
  assert.ok(v.findings.some((f) => f.level === 'fail' && f.seq === 3 && f.text.includes('chain link')));
});

test('two messages swapped are caught', async (ctx) => {
  const { transcript } = await chat(ctx, 4);
  const t = clone(transcript);
  const e = t.entries as MessageEntry[];
  [e[1], e[2]] = [e[2]!, e[1]!];
  const v = await verifyTranscript(t);
  assert.not.ok(v.ok);
  assert.ok(
    fails(v).some((f) => f.startsWith('3: entry 2 has seq 3 where seq 2 belongs')),
    fails(v).join('\n'),
  );
  // Renumbering them to hide the swap still breaks the chain.
  const renumbered = clone(t);
  messages(renumbered).forEach((m, i) => ((m as { seq: number }).seq = i + 1));
  const r = await verifyTranscript(renumbered);
  assert.not.ok(r.ok);
  assert.ok(r.findings.some((f) => f.level === 'fail' && f.seq === 2 && f.text.includes('chain link')));
});

test('one message removed is caught, also when the numbers are closed up', async (ctx) => {
  const { transcript } = await chat(ctx, 4);
  const t = clone(transcript);
  (t.entries as MessageEntry[]).splice(1, 1);
  const v = await verifyTranscript(t);
  assert.not.ok(v.ok);
  assert.ok(fails(v).some((f) => f.includes('seq 2 belongs')));
  const closed = clone(t);
  messages(closed).forEach((m, i) => ((m as { seq: number }).seq = i + 1));
  (closed as { lastSeq: number }).lastSeq = 3;
  const c = await verifyTranscript(closed);
  assert.not.ok(c.ok);
  assert.ok(c.findings.some((f) => f.level === 'fail' && f.seq === 2 && f.text.includes('chain link')));
});

test('a key swapped under a name, with a valid signature by the new key, is caught', async (ctx) => {
  const { transcript } = await chat(ctx, 5);
  const t = clone(transcript);
  const mallory = newIdentity();
  const m: { -readonly [K in keyof MessageEntry]: MessageEntry[K] } = messages(t)[2]!;
  m.key = mallory.key;
  m.sig = signBytes(
    mallory,
    messageSigningBytes({ roomId: t.room.roomId, name: m.name, id: m.id, ts: m.ts, text: m.text }),
  );
  const v = await verifyTranscript(t);
  assert.not.ok(v.ok);
  assert.ok(v.findings.some((f) => f.level === 'fail' && f.seq === 3 && f.text.includes('another key')));
  assert.ok(v.findings.some((f) => f.level === 'fail' && f.seq === 3 && f.text.includes('chain link')));
  assert.not.ok(
    v.findings.some((f) => f.text.includes('signature of')),
    'the forged signature itself is valid',
  );
});

test('a forged head is caught: changed fields, another key, or a key the reader does not trust', async (ctx) => {
  const { transcript } = await chat(ctx, 3);
  const known = await wellKnown(ctx);
  const moved = clone(transcript);
  (moved.head as { time: number }).time += 1;
  assert.ok(fails(await verifyTranscript(moved)).some((f) => f.includes("server's signature on the head")));

  // A whole new head, validly signed by another key, over a rewritten history.
  const forger = signerOf(newServerKeyRecord());
  const rewritten = clone(transcript);
  const last = messages(rewritten).at(-1)!;
  (rewritten as { head: Transcript['head'] }).head = forger.signHead(rewritten.room.roomId, last.seq, last.chain, 1);
  assert.ok((await verifyTranscript(rewritten)).ok, 'self-consistent under the forger key');
  const held = await verifyTranscript(rewritten, { trustedKey: known.key.pub });
  assert.not.ok(held.ok);
  assert.ok(fails(held).some((f) => f.includes('not by the server key you trust')));

  const other = clone(transcript);
  (other.head as { chain: string }).chain = messages(other)[0]!.chain;
  assert.ok(fails(await verifyTranscript(other)).some((f) => f.includes('commits to another link')));
});

test('a trimmed history verifies from its first retained message and says what it cannot show', async (ctx) => {
  const { transcript } = await chat(ctx, 11);
  assert.is(transcript.firstSeq, 4);
  assert.is(transcript.prev, null);
  const v = await verifyTranscript(transcript);
  assert.equal(fails(v), []);
  assert.ok(v.findings.some((f) => f.level === 'note' && f.seq === 4 && f.text.includes('trimmed')));
});

test('export is refused without a fresh signature by a key that holds a name in the room', async (ctx) => {
  const { alice } = await chat(ctx, 1);
  const now = ctx.srv.clock.now();
  const stranger = newIdentity();
  const refused = async (body: unknown, status = 403, code = 'export-refused', roomId = ctx.roomId): Promise<void> => {
    const res = await fetchTranscript(ctx.srv.url, roomId, body);
    assert.is(res.status, status);
    assert.is(((await res.json()) as { code: string }).code, code);
  };
  await refused(exportRequest(ctx.roomId, stranger, now));
  await refused({ ...exportRequest(ctx.roomId, alice.identity, now), key: stranger.key });
  await refused(exportRequest(ctx.roomId, alice.identity, now - 10 * 60_000));
  await refused({ ...exportRequest(ctx.roomId, alice.identity, now), extra: 1 }, 400, 'bad-request');
  const otherRoom = 'AAAAAAAAAAAAAAAAAAAAAA';
  await refused(exportRequest(otherRoom, alice.identity, now), 404, 'room-not-found', otherRoom);
  // A signature made for another room is no signature for this one.
  await refused(exportRequest(otherRoom, alice.identity, now));
});

test.run();
