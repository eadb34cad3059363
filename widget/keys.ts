/**
 * The user's identity: a WebCrypto key pair and a wished name, kept in
 * IndexedDB so a reload keeps both. The private key is generated
 * non-extractable: script on the page can use it to sign but can never read
 * it out. Ed25519 is preferred; browsers without it get ECDSA P-256 (ES256).
 */
import { encodeBase64url } from '../protocol/base64url.js';
import type { Alg, PublicKey } from '../protocol/frames.js';
import { idbDelete, idbGet, idbPut } from './idb.js';

export interface Identity {
  readonly alg: Alg;
  readonly privateKey: CryptoKey;
  /** base64url of the raw public key, as sent on the wire. */
  readonly pub: string;
  /** The name the user wished for; the server may hand out a variant. */
  name: string;
}

/** One record per profile, so several widgets on one page can be different people. */
const recordKey = (profile: string): string => `identity:${profile}`;

/** WebCrypto parameters for each wire algorithm. */
export const ALGORITHMS = {
  Ed25519: { generate: { name: 'Ed25519' }, import: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
  ES256: {
    generate: { name: 'ECDSA', namedCurve: 'P-256' },
    import: { name: 'ECDSA', namedCurve: 'P-256' },
    sign: { name: 'ECDSA', hash: 'SHA-256' },
  },
} as const satisfies Record<
  Alg,
  {
    generate: AlgorithmIdentifier | EcKeyGenParams;
    import: AlgorithmIdentifier | EcKeyImportParams;
    sign: AlgorithmIdentifier | EcdsaParams;
  }
>;

/** Generates a key pair whose private half cannot be exported; falls back to ES256 without Ed25519. */
export async function generateIdentity(name: string, prefer: Alg = 'Ed25519'): Promise<Identity> {
  const order: Alg[] = prefer === 'Ed25519' ? ['Ed25519', 'ES256'] : ['ES256'];
  let lastError: unknown;
  for (const alg of order) {
    try {
      const pair = (await crypto.subtle.generateKey(ALGORITHMS[alg].generate, false, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      return { alg, privateKey: pair.privateKey, pub: encodeBase64url(raw), name };
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

export function loadIdentity(profile: string): Promise<Identity | undefined> {
  return idbGet<Identity>(recordKey(profile));
}

export function saveIdentity(profile: string, identity: Identity): Promise<void> {
  return idbPut(recordKey(profile), identity);
}

export function forgetIdentity(profile: string): Promise<void> {
  return idbDelete(recordKey(profile));
}

export function publicKeyOf(identity: Identity): PublicKey {
  return { alg: identity.alg, pub: identity.pub };
}

const fingerprints = new Map<string, Promise<string>>();

/**
 * A short, readable fingerprint of a public key: the first 8 bytes of its
 * SHA-256 as four groups of hex. Enough for people to compare out loud.
 */
export function fingerprint(key: PublicKey): Promise<string> {
  const id = `${key.alg}:${key.pub}`;
  let fp = fingerprints.get(id);
  if (!fp) {
    fp = crypto.subtle.digest('SHA-256', new TextEncoder().encode(id)).then((digest) => {
      const hex = [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return hex.match(/.{4}/g)!.join(' ');
    });
    fingerprints.set(id, fp);
  }
  return fp;
}
