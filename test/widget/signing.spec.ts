/// <reference types="mocha" />
/**
 * Signatures in the browser's own WebCrypto: the protocol's test vector byte
 * for byte, and verification that fails closed.
 */
import { generateIdentity, type Identity } from '../../widget/keys.js';
import { signJoin, signMessage, verifyMessage } from '../../widget/signing.js';
import { assert, equal } from './helpers.js';

async function vector(): Promise<Record<string, string>> {
  const doc = await (await fetch('/docs/protocol.md')).text();
  const block = /```vector\n([\s\S]*?)```/.exec(doc)![1]!;
  return Object.fromEntries(
    block
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
  );
}

describe('signing', () => {
  it('signs the test vector of docs/protocol.md byte for byte, and verifies it', async () => {
    const v = await vector();
    const seed = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
    const pkcs8 = new Uint8Array([
      ...[0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20],
      ...seed.match(/../g)!.map((h) => parseInt(h, 16)),
    ]);
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, false, ['sign']);
    const identity: Identity = { alg: 'Ed25519', privateKey, pub: v['public key']!, name: 'alice' };
    const message = JSON.parse(v['message']!) as { roomId: string; name: string; id: string; ts: number; text: string };
    equal(await signMessage(identity, message), v['message signature']);
    const join = JSON.parse(v['join']!) as { roomId: string; nonce: string };
    equal(await signJoin(identity, join.roomId, join.nonce), v['join signature']);
    assert(await verifyMessage(identity, v['message signature']!, message), 'vector verifies');
    assert(
      !(await verifyMessage(identity, v['message signature']!, { ...message, text: 'Hello' })),
      'edited text fails',
    );
  });

  it('verification fails closed on garbage keys and signatures', async () => {
    const fields = { roomId: 'Xq3vYk9TfB2mWcLr7HsJdA', name: 'x', id: 'm1', ts: 1, text: 'x' };
    assert(!(await verifyMessage({ alg: 'Ed25519', pub: 'AAAA' }, 'AAAA', fields)), 'short key');
    assert(!(await verifyMessage({ alg: 'Ed25519', pub: '!!' }, 'AAAA', fields)), 'not base64url');
    const id = await generateIdentity('x');
    assert(!(await verifyMessage(id, 'AAAA', fields)), 'short signature');
  });
});
