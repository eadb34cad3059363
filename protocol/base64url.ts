/**
 * Unpadded base64url (RFC 4648 §5), the encoding of every key, signature and
 * nonce on the wire. Written against Uint8Array only, so the widget can use it
 * without Node's Buffer.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const byte of bytes) {
    // At most 4 bits are left over from the byte before, so 12 bits hold them all.
    acc = ((acc << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += ALPHABET[(acc >> bits) & 63]!;
    }
  }
  // The last 2 or 4 bits, padded with zero bits to a full character (no `=` padding).
  if (bits > 0) out += ALPHABET[(acc << (6 - bits)) & 63]!;
  return out;
}

/** Decodes strict unpadded base64url; returns undefined for any other input. */
export function decodeBase64url(text: string): Uint8Array | undefined {
  if (text.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return undefined;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Non-zero leftover bits mean a non-canonical encoding; refuse it so one
  // value has exactly one spelling.
  if ((acc & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}
