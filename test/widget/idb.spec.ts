/// <reference types="mocha" />
/**
 * widget/idb.ts: the upgrade from version 1 (one store called `identities`
 * that also held outboxes) to version 2 (`records`) keeps every key and value.
 */
import { loadIdentity, generateIdentity } from '../../widget/keys.js';
import { createOutboxStore, outboxKey } from '../../widget/outbox-store.js';
import { assert, equal } from './helpers.js';

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** The database as version 1 of the widget left it. */
async function writeVersion1(records: Record<string, unknown>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const del = indexedDB.deleteDatabase('tiny-chat');
    del.onsuccess = () => resolve();
    del.onerror = () => reject(del.error ?? new Error('delete failed'));
    del.onblocked = () => reject(new Error('delete blocked: a connection is still open'));
  });
  const open = indexedDB.open('tiny-chat', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('identities');
  const db = await done(open);
  const tx = db.transaction('identities', 'readwrite');
  for (const [key, value] of Object.entries(records)) tx.objectStore('identities').put(value, key);
  await new Promise((resolve) => (tx.oncomplete = resolve));
  db.close();
}

describe('IndexedDB upgrade', () => {
  it('moves identities and outboxes from the v1 store `identities` to `records`, keys unchanged', async () => {
    const identity = await generateIdentity('upgraded');
    const entry = { id: 'kept-1', text: 'typed under v1', status: 'queued' as const };
    await writeVersion1({ 'identity:upgrade-spec': identity, [outboxKey('upgrade-spec', 'room-1')]: [entry] });

    const loaded = await loadIdentity('upgrade-spec');
    equal([loaded?.pub, loaded?.name], [identity.pub, 'upgraded']);
    assert(loaded?.privateKey instanceof CryptoKey, 'the key is still a CryptoKey');
    equal(await createOutboxStore('upgrade-spec', 'room-1').load(), [entry]);

    const db = await done(indexedDB.open('tiny-chat'));
    equal([db.version, [...db.objectStoreNames]], [2, ['records']]);
    db.close();
  });
});
