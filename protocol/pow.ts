/**
 * The proof-of-work a server may ask of anonymous room creation and of a
 * join by a key with no name in the room yet (docs/protocol.md,
 * proof-of-work), defined once for widget and server: a hashcash over
 * SHA-256. A solution is a decimal counter; it is valid when the SHA-256 of
 * the work bytes has at least `difficulty` leading zero bits.
 *
 * The work bytes are, like the signing bytes (./canonical.ts), the UTF-8 of a
 * JSON array under a versioned domain tag, and name what the work is for: a
 * join's bytes hold the socket's `hello` nonce, the room and the key, so they
 * serve that one join; a creation's hold the challenge the server answered
 * with, which names the room id it will create, so each serves one room.
 */

export const POW_JOIN_TAG = 'tiny-chat:pow:join:v1';
export const POW_CREATE_TAG = 'tiny-chat:pow:create:v1';

/** A solution: a decimal counter of up to 16 digits. */
export const POW_SOLUTION_PATTERN = '^[0-9]{1,16}$';

/** A creation challenge, `<roomId>.<issuedAt ms>`, is good for this long after it was issued. */
export const POW_CHALLENGE_TTL_MS = 5 * 60_000;
export const POW_CHALLENGE_PATTERN = '^[A-Za-z0-9_-]{22}\\.[0-9]{1,16}$';

export interface PowJoinFields {
  readonly roomId: string;
  /** The nonce of this socket's `hello`. */
  readonly nonce: string;
  readonly alg: string;
  readonly pub: string;
}

const encoder = new TextEncoder();

export function powJoinBytes(j: PowJoinFields, solution: string): Uint8Array {
  return encoder.encode(JSON.stringify([POW_JOIN_TAG, j.roomId, j.nonce, j.alg, j.pub, solution]));
}

export function powCreateBytes(challenge: string, solution: string): Uint8Array {
  return encoder.encode(JSON.stringify([POW_CREATE_TAG, challenge, solution]));
}

/** Leading zero bits of a hash, counted from the first byte's high bit. */
export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** What a piece of work pays for: one join (over its socket's `hello` nonce) or one room creation. */
export type PowJob =
  | { readonly kind: 'join'; readonly difficulty: number; readonly fields: PowJoinFields }
  | { readonly kind: 'create'; readonly difficulty: number; readonly challenge: string };

/** The work bytes of a job, for each candidate solution. */
export function powBytesOf(job: PowJob): (solution: string) => Uint8Array {
  return job.kind === 'join' ? (s) => powJoinBytes(job.fields, s) : (s) => powCreateBytes(job.challenge, s);
}

/** How a solver shares its thread: a page's main thread runs it in slices and yields between them. */
export interface PowSlicing {
  /** How long one slice may run, in ms. */
  readonly sliceMs: number;
  /** Resolves when the next slice may run (after the page had its turn). */
  readonly pause: () => Promise<void>;
  /** Stops the work: the solver rejects with its reason at the next slice. */
  readonly signal?: AbortSignal;
}

/**
 * Counts from 0 until `bytesOf(counter)` hashes to `difficulty` leading zero
 * bits; `digest` is SHA-256 (WebCrypto in a browser, node:crypto on a
 * server). About 2^difficulty hashes on average. The one solver loop: the
 * widget's worker runs it whole, its main-thread fallback in slices.
 */
export async function solvePow(
  bytesOf: (solution: string) => Uint8Array,
  difficulty: number,
  digest: (bytes: Uint8Array) => Promise<Uint8Array>,
  slicing?: PowSlicing,
): Promise<string> {
  let sliceEnd = slicing ? performance.now() + slicing.sliceMs : Infinity;
  for (let n = 0; ; n++) {
    if (slicing && performance.now() >= sliceEnd) {
      await slicing.pause();
      slicing.signal?.throwIfAborted();
      sliceEnd = performance.now() + slicing.sliceMs;
    }
    const solution = String(n);
    if (leadingZeroBits(await digest(bytesOf(solution))) >= difficulty) return solution;
  }
}
