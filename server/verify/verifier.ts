/**
 * What checks message signatures for a server: by default a VerifyPool of
 * worker threads made for it (verify-pool.ts); a caller may pass its own to
 * share threads between servers in one process.
 */
import type { Alg } from '../../protocol/frames.js';

export interface Verifier {
  /** Resolves true when `sig` is a valid signature of `data` by the key (alg, pub). */
  verify(alg: Alg, pub: string, data: Uint8Array, sig: string): Promise<boolean>;
}
