import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { genesisLink as genesisNode, nextLink } from '../../adapters/rules.js';
import { chainLink, chainRecordBytes, genesisBytes, genesisLink, type ChainRecord } from '../../protocol/chain.js';
import { docVector } from '../helpers/doc-vector.js';

const v = docVector('chain-vector');
const room = JSON.parse(v['room']!) as { roomId: string; createdAt: number };
const message = JSON.parse(v['message']!) as ChainRecord;
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

test('the documented genesis bytes and link are what protocol/chain.ts and the server compute', async () => {
  assert.is(decode(genesisBytes(room.roomId, room.createdAt)), v['genesis bytes (utf-8)']);
  assert.is(await genesisLink(room.roomId, room.createdAt), v['genesis link']);
  assert.is(genesisNode(room.roomId, room.createdAt), v['genesis link']);
});

test('the documented record bytes and chain are what protocol/chain.ts and the server compute', async () => {
  const prev = v['genesis link']!;
  assert.is(decode(chainRecordBytes(prev, message)), v['record bytes (utf-8)']);
  assert.is(await chainLink(prev, message), v['chain']);
  assert.is(nextLink(prev, message), v['chain']);
});

test('every field of the record and the previous link change the chain', async () => {
  const prev = v['genesis link']!;
  const variants: ChainRecord[] = [
    { ...message, seq: 2 },
    { ...message, name: 'alicf' },
    { ...message, key: { ...message.key, alg: 'ES256' } },
    { ...message, key: { ...message.key, pub: message.key.pub.replace('1', '2') } },
    { ...message, id: 'm-0002' },
    { ...message, ts: message.ts + 1 },
    { ...message, text: message.text + ' ' },
    { ...message, sig: message.sig.replace('r', 's') },
  ];
  const links = new Set([v['chain'], ...variants.map((r) => nextLink(prev, r))]);
  links.add(nextLink(v['chain']!, message));
  assert.is(links.size, variants.length + 2);
});

test('a seq or ts that is not a safe integer is refused, not serialized', () => {
  assert.throws(() => chainRecordBytes('x', { ...message, seq: 1.5 }), /seq must be a safe integer/);
  assert.throws(() => genesisBytes('r', Number.MAX_SAFE_INTEGER + 1), /createdAt must be a safe integer/);
});

test.run();
