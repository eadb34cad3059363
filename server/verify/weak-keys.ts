/**
 * Ed25519 public keys that must never be pinned. A small-order point A makes
 * [k]A vanish (for the right k, or always for the identity), so one constant
 * signature (R = identity, S = 0) "verifies" for every message under it: a
 * second socket could prove the key without its secret and post as its owner.
 * OpenSSL's Ed25519 verify does not check for this, so the join does.
 *
 * A key is refused when its y coordinate (the 255 low bits, little-endian) is
 * not canonical (y >= p = 2^255 - 19), or is the y of one of the eight points
 * of small order whatever its sign bit (which also catches x = 0 written with
 * the sign bit set). That is the check libsodium makes in
 * `crypto_sign_verify` for its public keys.
 */

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));

/** The eight points of small order, in their canonical encodings (RFC 8032 §5.1.2). */
export const SMALL_ORDER_ED25519: readonly Uint8Array[] = [
  // order 1 (the identity) and 2
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  // order 4
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  // order 8
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
].map(hex);

/** y with the sign bit cleared, as a hex string, for each small-order point. */
const SMALL_ORDER_Y = new Set(SMALL_ORDER_ED25519.map((p) => yHex(p)));

function yHex(raw: Uint8Array): string {
  let s = '';
  for (let i = 0; i < 32; i++) s += (i === 31 ? raw[i]! & 0x7f : raw[i]!).toString(16).padStart(2, '0');
  return s;
}

/** True when y >= p: bytes 1..30 are 0xff, the top byte (sign bit cleared) is 0x7f and the low byte is >= 0xed. */
function yNotCanonical(raw: Uint8Array): boolean {
  if ((raw[31]! & 0x7f) !== 0x7f || raw[0]! < 0xed) return false;
  for (let i = 1; i < 31; i++) if (raw[i] !== 0xff) return false;
  return true;
}

/** True for a 32-byte Ed25519 public key that must be refused (see the module comment). */
export function isWeakEd25519(raw: Uint8Array): boolean {
  return raw.length !== 32 || yNotCanonical(raw) || SMALL_ORDER_Y.has(yHex(raw));
}
