/** protocol/pow.ts: the work bytes and leading-zero count, checked against the test vectors of docs/protocol.md. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { leadingZeroBits, powCreateBytes, powJoinBytes, solvePow } from '../../protocol/pow.js';

const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
const hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const digest = async (b: Uint8Array): Promise<Uint8Array> => new Uint8Array(createHash('sha256').update(b).digest());

const JOIN = {
  roomId: 'sQKRn2TYX6Gk6T5-ZwysWw',
  nonce: 'n0nce-from-hello-AAAAAA',
  alg: 'Ed25519',
  pub: 'A'.repeat(43),
};
const CHALLENGE = 'sQKRn2TYX6Gk6T5-ZwysWw.1795493982268';

test('leading zero bits count from the high bit of the first byte', () => {
  assert.is(leadingZeroBits(new Uint8Array([0x80])), 0);
  assert.is(leadingZeroBits(new Uint8Array([0x01, 0xff])), 7);
  assert.is(leadingZeroBits(new Uint8Array([0x00, 0x10])), 11);
  assert.is(leadingZeroBits(new Uint8Array([0, 0])), 16);
});

test('the join vector of docs/protocol.md: bytes, hash, and the first solution at 12 bits', async () => {
  const bytes = powJoinBytes(JOIN, '757');
  const text = new TextDecoder().decode(bytes);
  assert.is(text, `["tiny-chat:pow:join:v1","${JOIN.roomId}","${JOIN.nonce}","Ed25519","${JOIN.pub}","757"]`);
  assert.is(hex(bytes), '000a5a4ac3aaa933ea90199a4fd4b9afcec12dc935d7ebd8ee20d4f5b1e95362');
  assert.is(await solvePow((s) => powJoinBytes(JOIN, s), 12, digest), '757');
  for (const fact of [text, '757', '000a5a4ac3aaa933ea90199a4fd4b9afcec12dc935d7ebd8ee20d4f5b1e95362']) {
    assert.ok(doc.includes(fact), `docs/protocol.md states ${fact}`);
  }
});

test('the creation vector of docs/protocol.md', async () => {
  const bytes = powCreateBytes(CHALLENGE, '2635');
  const text = new TextDecoder().decode(bytes);
  assert.is(text, `["tiny-chat:pow:create:v1","${CHALLENGE}","2635"]`);
  assert.is(hex(bytes), '0008321829f4a4e0e85f0d3168d8c24397a6230c313b49a690a19cf5a296f78d');
  assert.is(await solvePow((s) => powCreateBytes(CHALLENGE, s), 12, digest), '2635');
  for (const fact of [text, '0008321829f4a4e0e85f0d3168d8c24397a6230c313b49a690a19cf5a296f78d']) {
    assert.ok(doc.includes(fact), `docs/protocol.md states ${fact}`);
  }
});

test.run();
