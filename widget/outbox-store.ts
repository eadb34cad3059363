/**
 * The outbox kept in IndexedDB, one record per profile and room, so messages
 * not yet acknowledged outlive a closed or reloaded page. Entries keep the
 * id, ts and signature they were first stamped with: a resend after a reload
 * is then the same frame, which the server stores once.
 *
 * Writes to one record are chained, page-wide, so the last snapshot asked for is the one that stays;
 * a failed write is dropped (the in-memory outbox still works), never thrown.
 */
import { idbDelete, idbGet, idbPut } from './idb.js';

/** What is kept of one outbox entry: never the in-flight signing promise. */
export interface StoredOutgoing {
  readonly id: string;
  readonly text: string;
  readonly ts?: number;
  readonly sig?: string;
  /** The name and public key the signature was made under. */
  readonly name?: string;
  readonly pub?: string;
  readonly status: 'queued' | 'failed';
  readonly error?: string;
}

export interface OutboxStore {
  load(): Promise<StoredOutgoing[]>;
  save(items: readonly StoredOutgoing[]): Promise<void>;
}

export const outboxKey = (profile: string, roomId: string): string => `outbox:${profile}:${roomId}`;

/** The last write asked for per record, page-wide: a later widget on the same record reads after it. */
const writes = new Map<string, Promise<void>>();

export function createOutboxStore(profile: string, roomId: string): OutboxStore {
  const key = outboxKey(profile, roomId);
  return {
    async load() {
      await writes.get(key);
      return (await idbGet<StoredOutgoing[]>(key)) ?? [];
    },
    save(items) {
      const snapshot = items.map((item) => ({ ...item }));
      const write = (writes.get(key) ?? Promise.resolve())
        .then(() => (snapshot.length > 0 ? idbPut(key, snapshot) : idbDelete(key)))
        .catch(() => undefined);
      writes.set(key, write);
      return write;
    },
  };
}
