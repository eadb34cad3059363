/**
 * The server-key cases of the storage contract (adapters/types.ts
 * `serverKey`), and the lookup the transcript export relies on: `bindName`
 * with no candidate gives back a name the key holds and never pins one.
 */
import type { Test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServerKeyRecord, Storage } from '../../adapters/types.js';
import { key, newRoom, T0 } from './contract-fixtures.js';

export const keyRecord = (n: number): ServerKeyRecord => ({
  alg: 'Ed25519',
  pub: Buffer.alloc(32, n).toString('base64url'),
  secret: Buffer.alloc(48, n).toString('base64url'),
});

export function serverKeyCases(test: Test<{ s: Storage }>): void {
  test('server key: the first one offered is kept and every later offer gets it back', async ({ s }) => {
    assert.equal(await s.serverKey(keyRecord(1)), keyRecord(1));
    assert.equal(await s.serverKey(keyRecord(2)), keyRecord(1));
  });

  test('server key: two offers at once agree on one of them', async ({ s }) => {
    const [a, b] = await Promise.all([s.serverKey(keyRecord(3)), s.serverKey(keyRecord(4))]);
    assert.equal(a, b);
    assert.ok([keyRecord(3).pub, keyRecord(4).pub].includes(a.pub));
  });

  test('bindName with no candidate is a lookup: the held name, or names-taken, never a new pin', async ({ s }) => {
    const room = newRoom();
    await s.createRoom(room);
    assert.equal(await s.bindName(room.id, { key: key(1), candidates: [] }, T0), { status: 'names-taken' });
    const bound = await s.bindName(room.id, { key: key(1), candidates: [{ name: 'ann', skeleton: 'ann' }] }, T0);
    assert.equal(bound, { status: 'bound', name: 'ann', existing: false });
    assert.equal(await s.bindName(room.id, { key: key(1), candidates: [] }, T0), {
      status: 'bound',
      name: 'ann',
      existing: true,
    });
    assert.equal(await s.bindName(room.id, { key: key(2), candidates: [] }, T0), { status: 'names-taken' });
  });
}
