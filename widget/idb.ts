/**
 * The few IndexedDB calls the widget's stores need, as promises. One database,
 * `tiny-chat`, with one object store, `records`, of values keyed by a string
 * whose prefix says what it holds (`identity:…`, `outbox:…`, `members:…`).
 *
 * Version 1 kept the same records in a store called `identities`, which also
 * held outboxes. The upgrade to version 2 moves every record, key and value
 * unchanged, into `records`; it must never drop a key (a lost identity is a
 * lost name, a lost outbox is lost messages).
 */

const DB_NAME = 'tiny-chat';
const DB_VERSION = 2;
const STORE = 'records';
const OLD_STORE = 'identities';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB failed'));
  });
}

/** Runs inside the versionchange transaction, so a failed copy aborts the whole upgrade and v1 stays as it was. */
function upgrade(db: IDBDatabase, tx: IDBTransaction, oldVersion: number): void {
  const records = db.createObjectStore(STORE);
  if (oldVersion < 1 || !db.objectStoreNames.contains(OLD_STORE)) return;
  const old = tx.objectStore(OLD_STORE);
  const cursor = old.openCursor();
  cursor.onsuccess = () => {
    const at = cursor.result;
    if (at) {
      records.put(at.value, at.key);
      at.continue();
    } else {
      db.deleteObjectStore(OLD_STORE);
    }
  };
}

function open(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, DB_VERSION);
  req.onupgradeneeded = (event) => upgrade(req.result, req.transaction!, event.oldVersion);
  return request(req);
}

async function withStore<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    const tx = db.transaction(STORE, mode);
    // Listen before the request runs: a write counts only once the transaction commits.
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB failed'));
    });
    const result = await request(fn(tx.objectStore(STORE)));
    await done;
    return result;
  } finally {
    db.close();
  }
}

export function idbGet<T>(key: string): Promise<T | undefined> {
  return withStore('readonly', (s) => s.get(key) as IDBRequest<T | undefined>);
}

export async function idbPut(key: string, value: unknown): Promise<void> {
  await withStore('readwrite', (s) => s.put(value, key));
}

export async function idbDelete(key: string): Promise<void> {
  await withStore('readwrite', (s) => s.delete(key));
}
