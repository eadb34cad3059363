/**
 * The server's strict base64url decoder: the same rule as
 * protocol/base64url.ts (unpadded, url-safe alphabet, canonical spare bits
 * only), on Node's native Buffer. The verify threads decode every signature,
 * and the portable decoder (atob, a regex and a re-encode, written for the
 * widget) took about a tenth of their time in the ingest bench.
 *
 * Must never accept a spelling protocol/base64url.ts refuses, or the reverse
 * (test/protocol/base64url.test.ts checks both on arbitrary input).
 */

/** Decodes strict unpadded base64url; undefined for any other input. */
export function decodeBase64urlStrict(text: string): Uint8Array | undefined {
  // Buffer's decoder is lenient (either alphabet, padding, stray characters, spare bits); only a spelling that
  // re-encodes to itself is the canonical one.
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
