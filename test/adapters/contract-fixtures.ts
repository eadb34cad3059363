/** The fixed times, keys, rooms and messages the contract cases are written with. */
import { randomBytes } from 'node:crypto';
import type { NewMessage, NewRoom } from '../../adapters/types.js';
import { isMessage, type Entry, type PublicKey } from '../../protocol/frames.js';

export const T0 = 1_700_000_000_000;
export const MIN = 60_000;
export const HOUR = 60 * MIN;

export const roomId = (): string => randomBytes(16).toString('base64url');
export const key = (n: number): PublicKey => ({ alg: 'Ed25519', pub: Buffer.alloc(32, n).toString('base64url') });

export function newRoom(over: Partial<NewRoom> = {}): NewRoom {
  return { id: roomId(), createdAt: T0, expiresAt: T0 + 12 * HOUR, idleTimeoutMs: 5 * MIN, ...over };
}

export function msg(name: string, id: string, text = `text of ${id}`, at = T0): NewMessage {
  return { id, name, ts: at, text, sig: 'c2ln', key: key(1), at };
}

export const appendOpts = (now = T0, cap = 500) => ({ cap, now, dedupeWindowMs: 10 * MIN });

/** A read entry's text; undefined for an action or a tombstone. */
export const textOf = (e: Entry | undefined): string | undefined => (e && isMessage(e) ? e.text : undefined);
