/// <reference types="mocha" />
/**
 * Keys and signatures in the browser's own WebCrypto: the protocol's test
 * vector, the ES256 fallback, non-extractable storage in IndexedDB.
 */
import { decodeBase64url } from '../../protocol/base64url.js';
import { backoffDelay } from '../../widget/backoff.js';
import { fingerprint, generateIdentity, loadIdentity, saveIdentity, type Identity } from '../../widget/keys.js';
import { linkify } from '../../widget/linkify.js';
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

describe('keys and signatures', () => {
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

  it('generates a non-extractable Ed25519 key, and ES256 as the fallback', async () => {
    for (const alg of ['Ed25519', 'ES256'] as const) {
      const id = await generateIdentity('dana', alg);
      equal(id.alg, alg);
      equal(decodeBase64url(id.pub)!.length, alg === 'Ed25519' ? 32 : 65);
      assert(id.pub.length > 0 && !id.privateKey.extractable, `${alg} private key is not extractable`);
      const fields = { roomId: 'Xq3vYk9TfB2mWcLr7HsJdA', name: 'dana', id: 'm1', ts: 1, text: 'hi 👋' };
      const sig = await signMessage(id, fields);
      assert(await verifyMessage(id, sig, fields), `${alg} verifies`);
      assert(!(await verifyMessage(id, sig, { ...fields, name: 'eve' })), `${alg} refuses another name`);
    }
  });

  it('keeps the key pair in IndexedDB: loaded back, it still signs and still cannot be exported', async () => {
    const id = await generateIdentity('erin');
    await saveIdentity('keys-spec', id);
    const back = (await loadIdentity('keys-spec'))!;
    equal([back.alg, back.pub, back.name], [id.alg, id.pub, 'erin']);
    const fields = { roomId: 'Xq3vYk9TfB2mWcLr7HsJdA', name: 'erin', id: 'm1', ts: 1, text: 'x' };
    assert(await verifyMessage(id, await signMessage(back, fields), fields), 'reloaded key signs');
    const exported = await crypto.subtle.exportKey('pkcs8', back.privateKey).then(
      () => 'exported',
      (e: Error) => e.name,
    );
    equal(exported, 'InvalidAccessError');
    assert(/^[0-9a-f]{4}( [0-9a-f]{4}){3}$/.test(await fingerprint(id)), 'fingerprint is four hex groups');
  });

  it('verification fails closed on garbage keys and signatures', async () => {
    const fields = { roomId: 'Xq3vYk9TfB2mWcLr7HsJdA', name: 'x', id: 'm1', ts: 1, text: 'x' };
    assert(!(await verifyMessage({ alg: 'Ed25519', pub: 'AAAA' }, 'AAAA', fields)), 'short key');
    assert(!(await verifyMessage({ alg: 'Ed25519', pub: '!!' }, 'AAAA', fields)), 'not base64url');
    const id = await generateIdentity('x');
    assert(!(await verifyMessage(id, 'AAAA', fields)), 'short signature');
  });
});

describe('links and backoff', () => {
  it('only absolute http(s) URLs become links', () => {
    equal(linkify('see https://a.example/x?y=1. and http://b.example'), [
      { kind: 'text', text: 'see ' },
      { kind: 'link', href: 'https://a.example/x?y=1', text: 'https://a.example/x?y=1' },
      { kind: 'text', text: '. and ' },
      { kind: 'link', href: 'http://b.example/', text: 'http://b.example' },
    ]);
    for (const hostile of ['javascript:alert(1)', 'data:text/html,<b>x</b>', 'ftp://x.example', '//x.example']) {
      equal(linkify(hostile), [{ kind: 'text', text: hostile }]);
    }
  });

  it('backoff grows, is capped, and is jittered within [half, full]', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    equal(
      [0, 1, 2].map((n) => backoffDelay(n, opts, () => 0)),
      [250, 500, 1000],
    );
    equal(
      [0, 1, 2].map((n) => backoffDelay(n, opts, () => 0.999999)),
      [500, 1000, 2000],
    );
    equal(
      backoffDelay(50, opts, () => 0),
      15_000,
    );
  });
});
