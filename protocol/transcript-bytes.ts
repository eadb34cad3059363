/**
 * The two signed byte strings of the transcript (protocol/transcript.ts
 * re-exports them): the server's signed head, and a member's request to
 * export. Apart from the TypeBox schemas so that the widget's export chunk,
 * which signs a request, does not carry TypeBox with it.
 */
import type { Alg } from './frames.js';

export const HEAD_TAG = 'tiny-chat:head:v1';
export const EXPORT_TAG = 'tiny-chat:export:v1';

const encoder = new TextEncoder();

function safe(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new TypeError(`${what} must be a safe integer`);
  return n;
}

/** What the server signs for a head: only its key can have made it, and it names one room. */
export function headSigningBytes(h: {
  readonly roomId: string;
  readonly seq: number;
  readonly chain: string;
  readonly time: number;
}): Uint8Array {
  return encoder.encode(JSON.stringify([HEAD_TAG, h.roomId, safe(h.seq, 'seq'), h.chain, safe(h.time, 'time')]));
}

/** What a member signs to ask for a room's transcript (the tag keeps it from being a message or a join). */
export function exportSigningBytes(roomId: string, time: number, alg: Alg, pub: string): Uint8Array {
  return encoder.encode(JSON.stringify([EXPORT_TAG, roomId, safe(time, 'time'), alg, pub]));
}
