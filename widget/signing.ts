/**
 * Signs outgoing messages and join proofs, and verifies received messages,
 * over the canonical bytes from protocol/canonical.ts: the exact bytes the
 * server and every other client sign and check.
 */
import { decodeBase64url, encodeBase64url } from '../protocol/base64url.js';
import { joinSigningBytes, messageSigningBytes, type MessageFields } from '../protocol/canonical.js';
import type { PublicKey } from '../protocol/frames.js';
import { ALGORITHMS, type Identity } from './keys.js';

// Copy into a fresh ArrayBuffer: WebCrypto's typings refuse views over a SharedArrayBuffer.
function buffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** Signs `bytes` with the identity's private key (base64url); the export chunk signs its request with it too. */
export async function sign(identity: Identity, bytes: Uint8Array): Promise<string> {
  const sig = await crypto.subtle.sign(ALGORITHMS[identity.alg].sign, identity.privateKey, buffer(bytes));
  return encodeBase64url(new Uint8Array(sig));
}

export function signMessage(identity: Identity, fields: MessageFields): Promise<string> {
  return sign(identity, messageSigningBytes(fields));
}

export function signJoin(identity: Identity, roomId: string, nonce: string): Promise<string> {
  return sign(identity, joinSigningBytes({ roomId, nonce, alg: identity.alg, pub: identity.pub }));
}

const imported = new Map<string, Promise<CryptoKey | undefined>>();

function importPublicKey(key: PublicKey): Promise<CryptoKey | undefined> {
  const id = `${key.alg}:${key.pub}`;
  let found = imported.get(id);
  if (!found) {
    const raw = decodeBase64url(key.pub);
    const params = ALGORITHMS[key.alg]?.import;
    found =
      raw && params
        ? crypto.subtle.importKey('raw', buffer(raw), params, true, ['verify']).catch(() => undefined)
        : Promise.resolve(undefined);
    imported.set(id, found);
  }
  return found;
}

/** True only when `sig` is a valid signature by `key` over `bytes` (the moderation chunk checks actions with it). */
export async function verifySigned(key: PublicKey, sig: string, bytes: Uint8Array): Promise<boolean> {
  const cryptoKey = await importPublicKey(key);
  const sigBytes = decodeBase64url(sig);
  if (!cryptoKey || !sigBytes) return false;
  return crypto.subtle.verify(ALGORITHMS[key.alg].sign, cryptoKey, buffer(sigBytes), buffer(bytes));
}

/** True only when `sig` is a valid signature by `key` over the message's signing bytes. */
export async function verifyMessage(key: PublicKey, sig: string, fields: MessageFields): Promise<boolean> {
  try {
    return await verifySigned(key, sig, messageSigningBytes(fields));
  } catch {
    // Malformed text (a lone surrogate) cannot be signed bytes at all.
    return false;
  }
}
