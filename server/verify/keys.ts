/**
 * Public-key import and signature verification for the two algorithms the
 * protocol allows (Ed25519 on libsodium when it loads, ./ed25519.ts; ES256
 * always on Node's crypto). Keys arrive as raw bytes in base64url; they are turned into
 * KeyObjects once per join, never per message.
 */
import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { decodeBase64urlStrict } from './base64url.js';
import type { PublicKey } from '../../protocol/frames.js';
import { ed25519 } from './ed25519.js';
import { isWeakEd25519 } from './weak-keys.js';

export interface VerifyKey {
  readonly alg: PublicKey['alg'];
  readonly object: KeyObject;
  /** The raw key bytes (libsodium verifies from these; ./ed25519.ts). */
  readonly raw: Uint8Array;
}

/** Imports a wire public key; undefined when it is not a valid key of its algorithm. */
export function importKey(key: PublicKey): VerifyKey | undefined {
  const raw = decodeBase64urlStrict(key.pub);
  if (!raw) return undefined;
  try {
    if (key.alg === 'Ed25519') {
      // Small-order and non-canonical keys would let one forged signature pass for all (weak-keys.ts).
      if (isWeakEd25519(raw)) return undefined;
      return {
        alg: key.alg,
        object: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.pub }, format: 'jwk' }),
        raw,
      };
    }
    // ES256: the uncompressed point 0x04 || X || Y that WebCrypto exports as 'raw'.
    if (raw.length !== 65 || raw[0] !== 4) return undefined;
    const x = Buffer.from(raw.subarray(1, 33)).toString('base64url');
    const y = Buffer.from(raw.subarray(33)).toString('base64url');
    // createPublicKey refuses points that are not on the curve.
    return {
      alg: key.alg,
      object: createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' }),
      raw,
    };
  } catch {
    return undefined;
  }
}

/** Verifies a base64url signature (64 bytes for both algorithms; ES256 as r || s). */
export function verifySignature(key: VerifyKey, data: Uint8Array, sigB64: string): boolean {
  const sig = decodeBase64urlStrict(sigB64);
  if (!sig || sig.length !== 64) return false;
  try {
    if (key.alg === 'Ed25519') return ed25519.verify(key.raw, key.object, data, sig);
    return cryptoVerify('sha256', data, { key: key.object, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}
