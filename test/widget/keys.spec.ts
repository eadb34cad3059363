/// <reference types="mocha" />
/**
 * Keys in the browser's own WebCrypto: Ed25519 with the ES256 fallback,
 * non-extractable storage in IndexedDB.
 */
import { decodeBase64url } from '../../protocol/base64url.js';
import { fingerprint, generateIdentity, loadIdentity, saveIdentity } from '../../widget/keys.js';
import { signMessage, verifyMessage } from '../../widget/signing.js';
import { assert, equal } from './helpers.js';

describe('keys', () => {
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
});
