/**
 * Checks a signature with WebCrypto alone, so the same code runs in Node 20
 * and in a browser (the transcript verifier, the /verify page). Never throws
 * on bad input: a key or signature that cannot be decoded or imported simply
 * does not verify.
 */
import { decodeBase64url } from './base64url.js';
import type { Alg } from './frames.js';

const PARAMS = {
  Ed25519: { import: { name: 'Ed25519' }, verify: { name: 'Ed25519' } },
  ES256: { import: { name: 'ECDSA', namedCurve: 'P-256' }, verify: { name: 'ECDSA', hash: 'SHA-256' } },
} as const;

// Copy into a fresh ArrayBuffer: WebCrypto's typings refuse views over a SharedArrayBuffer.
const buffer = (bytes: Uint8Array): ArrayBuffer => bytes.slice().buffer;

const imported = new Map<string, Promise<CryptoKey | undefined>>();

function importKey(alg: Alg, pub: string): Promise<CryptoKey | undefined> {
  const id = `${alg}:${pub}`;
  let found = imported.get(id);
  if (!found) {
    const raw = decodeBase64url(pub);
    const params = PARAMS[alg] as (typeof PARAMS)[Alg] | undefined;
    found =
      raw && params
        ? crypto.subtle.importKey('raw', buffer(raw), params.import, false, ['verify']).catch(() => undefined)
        : Promise.resolve(undefined);
    imported.set(id, found);
  }
  return found;
}

/** True only when `sig` (base64url) is a valid signature over `data` by the key (alg, pub). */
export async function verifySignature(alg: Alg, pub: string, sig: string, data: Uint8Array): Promise<boolean> {
  const key = await importKey(alg, pub);
  const sigBytes = decodeBase64url(sig);
  if (!key || !sigBytes) return false;
  try {
    return await crypto.subtle.verify(PARAMS[alg].verify, key, buffer(sigBytes), buffer(data));
  } catch {
    return false;
  }
}
