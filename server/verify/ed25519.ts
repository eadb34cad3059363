/**
 * Ed25519 verification on the fastest library this process can load:
 * libsodium through `sodium-native` (prebuilt binaries inside the npm
 * package; about 2.5× Node's crypto.verify per signature on the bench
 * machine, issue 15), else Node's crypto. Decided once per thread at load;
 * every thread of a process loads the same binary, so they all agree, and the
 * server says which one runs in its log and in /healthz.
 *
 * Must never accept what Node's crypto would refuse for a key that
 * keys.ts let through: both check the same Ed25519 equation (libsodium also
 * refuses small-order keys and non-canonical signatures; weak-keys.ts already
 * refused such keys at import).
 */
import { verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

export interface Sodium {
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

export function loadSodium(): Sodium | undefined {
  try {
    const sodium = createRequire(import.meta.url)('sodium-native') as Partial<Sodium>;
    return typeof sodium.crypto_sign_verify_detached === 'function' ? (sodium as Sodium) : undefined;
  } catch {
    // No binary for this platform, or the package is absent: Node's crypto verifies.
    return undefined;
  }
}

export interface Ed25519 {
  readonly library: 'libsodium' | 'node:crypto';
  /** Verifies a 64-byte signature by the 32-byte raw key `pub` (or its KeyObject, for Node's crypto). */
  verify(pub: Uint8Array, object: KeyObject, data: Uint8Array, sig: Uint8Array): boolean;
}

/** The verifier on `sodium`, or on Node's crypto without it (tests compare the two). */
export function ed25519On(sodium: Sodium | undefined): Ed25519 {
  if (sodium) {
    return {
      library: 'libsodium',
      verify: (pub, _object, data, sig) => sodium.crypto_sign_verify_detached(sig, data, pub),
    };
  }
  return { library: 'node:crypto', verify: (_pub, object, data, sig) => cryptoVerify(null, data, object, sig) };
}

/** This process's Ed25519 verifier. */
export const ed25519 = ed25519On(loadSodium());
