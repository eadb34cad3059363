/**
 * The hash chain over a room's one order, defined once for widget, server and
 * any third party. Each stored message carries `chain`: SHA-256 over the
 * previous message's `chain` and this message's record (seq, name, key, id,
 * ts, text, sig). The first message extends the room's genesis link, made
 * from the room id and creation time. A server that rewrites, drops or
 * reorders a message a client already holds changes every later link, so the
 * client sees it.
 *
 * The bytes follow canonical.ts: a JSON array with a versioned domain tag,
 * strings and safe integers only, so every engine serializes it alike. Only
 * the bytes and the WebCrypto hash live here; the server hashes the same
 * bytes synchronously with node:crypto (adapters/rules.ts), because storage
 * must compute a link in the same atomic step that assigns its seq.
 */
import { encodeBase64url } from './base64url.js';
import type { PublicKey } from './frames.js';

export const CHAIN_TAG = 'tiny-chat:chain:v1';
export const GENESIS_TAG = 'tiny-chat:genesis:v1';

/** What a link covers: every field a member signed or the server ordered, never the server's `at`. */
export interface ChainRecord {
  readonly seq: number;
  readonly name: string;
  readonly key: PublicKey;
  readonly id: string;
  readonly ts: number;
  readonly text: string;
  readonly sig: string;
}

const encoder = new TextEncoder();

function safe(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new TypeError(`${what} must be a safe integer`);
  return n;
}

/** The bytes whose SHA-256 is the room's first `prev`: the room cannot be swapped for another. */
export function genesisBytes(roomId: string, createdAt: number): Uint8Array {
  return encoder.encode(JSON.stringify([GENESIS_TAG, roomId, safe(createdAt, 'createdAt')]));
}

/** The JSON text whose UTF-8 bytes are chainRecordBytes (a server hashes the text without copying it to bytes). */
export function chainRecordJson(prev: string, r: ChainRecord): string {
  const { seq, name, key, id, ts, text, sig } = r;
  return JSON.stringify([CHAIN_TAG, prev, safe(seq, 'seq'), name, key.alg, key.pub, id, safe(ts, 'ts'), text, sig]);
}

/** The bytes whose SHA-256 is a message's `chain`, given the previous link. */
export function chainRecordBytes(prev: string, r: ChainRecord): Uint8Array {
  return encoder.encode(chainRecordJson(prev, r));
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  return encodeBase64url(new Uint8Array(digest));
}

/** The room's genesis link (base64url SHA-256), with WebCrypto. */
export function genesisLink(roomId: string, createdAt: number): Promise<string> {
  return sha256(genesisBytes(roomId, createdAt));
}

/** The link of `r` after `prev` (base64url SHA-256), with WebCrypto. */
export function chainLink(prev: string, r: ChainRecord): Promise<string> {
  return sha256(chainRecordBytes(prev, r));
}
