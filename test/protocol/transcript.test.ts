/**
 * The transcript verifier on its own (protocol/verify-transcript.ts): the
 * documented head vector, entries of an unknown kind, files that are not
 * transcripts at all, and a fast-check property: no random edit of a valid
 * transcript verifies. Transcripts here are made with real keys and the real
 * chain; test/server/transcript.test.ts exports them from a real server.
 */
import { createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { messageSigningBytes } from '../../protocol/canonical.js';
import { chainLink, genesisLink } from '../../protocol/chain.js';
import { headSigningBytes, TRANSCRIPT_FORMAT, type MessageEntry, type Transcript } from '../../protocol/transcript.js';
import { verifyTranscript } from '../../protocol/verify-transcript.js';
import { newServerKeyRecord, signerOf } from '../../server/transcript/server-key.js';
import { newIdentity, signBytes } from '../helpers/client.js';
import { docVector } from '../helpers/doc-vector.js';

test('the documented head bytes and signature are what protocol/transcript.ts and the server make', async () => {
  const v = docVector('head-vector');
  const head = JSON.parse(v['head']!) as { roomId: string; seq: number; chain: string; time: number };
  assert.is(new TextDecoder().decode(headSigningBytes(head)), v['head bytes (utf-8)']);
  const der = Buffer.concat([
    Buffer.from('302e020100300506032b657004220420', 'hex'),
    Buffer.from(v['key seed (hex)']!, 'hex'),
  ]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  assert.is(sign(null, headSigningBytes(head), privateKey).toString('base64url'), v['head signature']);
  const signer = signerOf({ alg: 'Ed25519', pub: v['public key']!, secret: der.toString('base64url') });
  assert.is(signer.signHead(head.roomId, head.seq, head.chain, head.time).sig, v['head signature']);
});

const ROOM = 'Xq3vYk9TfB2mWcLr7HsJdA';
const CREATED = 1_763_999_990_000;
const server = signerOf(newServerKeyRecord());
const people = [newIdentity(), newIdentity(), newIdentity()];
const names = ['alice', 'bob', 'chloé'];

async function makeTranscript(texts: readonly string[]): Promise<Transcript> {
  const genesis = await genesisLink(ROOM, CREATED);
  let prev = genesis;
  const entries: MessageEntry[] = [];
  for (const [i, text] of texts.entries()) {
    const who = i % people.length;
    const fields = { roomId: ROOM, name: names[who]!, id: `m-${i}`, ts: CREATED + 1000 * (i + 1), text };
    const sig = signBytes(people[who]!, messageSigningBytes(fields));
    const record = { seq: i + 1, name: fields.name, key: people[who]!.key, id: fields.id, ts: fields.ts, text, sig };
    const chain = await chainLink(prev, record);
    entries.push({ kind: 'message', ...record, chain, at: fields.ts + 5 });
    prev = chain;
  }
  const now = CREATED + 1_000_000;
  return {
    format: TRANSCRIPT_FORMAT,
    room: { roomId: ROOM, createdAt: CREATED },
    genesis,
    firstSeq: 1,
    lastSeq: texts.length,
    prev: genesis,
    entries,
    head: server.signHead(ROOM, texts.length, prev, now),
    exportedAt: now,
  };
}

test('a valid transcript verifies, an empty room too', async () => {
  assert.ok((await verifyTranscript(await makeTranscript(['a', 'b', 'c', 'd']), { trustedKey: server.key.pub })).ok);
  assert.ok((await verifyTranscript(await makeTranscript([]), { trustedKey: server.key.pub })).ok);
});

test('an entry of a kind the verifier does not know is a finding at its seq, and the rest is still checked', async () => {
  const t = structuredClone<Transcript>(await makeTranscript(['a', 'b', 'c', 'd']));
  const [, second] = t.entries as MessageEntry[];
  (t.entries as unknown[])[1] = { kind: 'tombstone', seq: 2, chain: second!.chain, of: 'm-1' };
  (t.entries as unknown[])[3] = { ...t.entries[3], kind: 'constructor' };
  const v = await verifyTranscript(t);
  assert.not.ok(v.ok);
  const unknown = v.findings.filter((f) => f.text.includes('does not know'));
  assert.equal(
    unknown.map((f) => f.seq),
    [2, 4],
  );
  // Message 3 still extends the tombstone's link: nothing else is reported.
  assert.is(v.findings.filter((f) => f.level === 'fail').length, 2);
});

test('anything that is not a transcript is refused in words, never thrown', async () => {
  const valid = await makeTranscript(['a']);
  for (const file of [null, 42, 'x', [], {}, { format: 'other' }, { ...valid, entries: 'x' }, { ...valid, head: {} }]) {
    const v = await verifyTranscript(file);
    assert.not.ok(v.ok);
    assert.ok(v.findings.length > 0 && v.findings.every((f) => typeof f.text === 'string' && f.text.length > 0));
  }
  const bad = structuredClone<Transcript>(valid);
  (bad.entries as unknown[])[0] = { kind: 'message', seq: 1, chain: valid.entries[0]!.chain };
  const v = await verifyTranscript(bad);
  assert.ok(v.findings.some((f) => f.seq === 1 && f.text.includes('malformed')));
});

// ---------- property: no random edit verifies ----------

/** The fields nobody signed and no link covers: editing them changes nothing a verifier can hold anyone to. */
const UNPROTECTED = new Set(['at', 'exportedAt']);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a leaf of `value` that an edit may change. */
function leaves(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const out: (string | number)[][] = [];
  for (const [k, v] of Object.entries(value)) {
    if (UNPROTECTED.has(k)) continue;
    out.push(...leaves(v, [...path, Array.isArray(value) ? Number(k) : k]));
  }
  return out;
}

function changed(old: Json, pick: number, char: string): Json {
  if (typeof old === 'number') return old + (pick % 2 ? 1 : -1) * (1 + (pick % 1000));
  if (typeof old === 'string') {
    const i = pick % (old.length + 1);
    const edits = [old.slice(0, i) + char + old.slice(i), old.slice(0, i) + old.slice(i + 1), old + char];
    const e = edits[pick % 3]!;
    return e === old ? `${old}${char}` : e;
  }
  return typeof old === 'boolean' ? !old : 'x';
}

const edit = fc.oneof(
  fc.record({
    kind: fc.constant('leaf' as const),
    which: fc.nat(),
    pick: fc.nat(),
    char: fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
  }),
  fc.record({ kind: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ kind: fc.constant('drop' as const), i: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), i: fc.nat() }),
);

test('property: random edits of a valid transcript never verify', async () => {
  const valid = await makeTranscript(['first', 'second ✓', 'third\nline', 'fourth "quoted"', 'fifth']);
  assert.ok((await verifyTranscript(valid)).ok);
  await fc.assert(
    fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 3 }), async (edits) => {
      const t = structuredClone(valid) as unknown as { [k: string]: Json } & { entries: Json[] };
      for (const e of edits) {
        const n = t.entries.length;
        if (e.kind === 'leaf') {
          const all = leaves(t);
          const path = all[e.which % all.length]!;
          let parent: Json = t;
          for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step]!;
          const last = path.at(-1)!;
          const holder = parent as Record<string | number, Json>;
          holder[last] = changed(holder[last]!, e.pick, e.char);
        } else if (n > 1 && e.kind === 'swap' && e.i % n !== e.j % n) {
          [t.entries[e.i % n], t.entries[e.j % n]] = [t.entries[e.j % n]!, t.entries[e.i % n]!];
        } else if (n > 0 && e.kind === 'drop') {
          t.entries.splice(e.i % n, 1);
        } else if (n > 0 && e.kind === 'repeat') {
          t.entries.splice(e.i % n, 0, structuredClone(t.entries[e.i % n]!));
        } else {
          return; // An edit that could not apply here is no edit.
        }
      }
      // Edits that undo each other (a repeat, then a drop of the copy) leave the file as it was.
      if (JSON.stringify(t) === JSON.stringify(valid)) return;
      const v = await verifyTranscript(t);
      assert.not.ok(v.ok, `an edited transcript verified: ${JSON.stringify(edits)}`);
    }),
    { numRuns: 300 },
  );
});

test.run();
