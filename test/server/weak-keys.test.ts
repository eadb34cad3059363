/**
 * Keys that would let one signature verify for every message: the eight
 * small-order Ed25519 points (each in its canonical encoding and the
 * non-canonical ones that decode to it), and ES256 points that are not on
 * the curve or are the point at infinity. Each is refused with `bad-key` at
 * join, before any proof is checked, over a real socket.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as assert from 'uvu/assert';
import { connect, roomSuite } from '../helpers/room-suite.js';
import { newIdentity } from '../helpers/client.js';
import type { PublicKey } from '../../protocol/frames.js';
import { SMALL_ORDER_ED25519 } from '../../server/verify/weak-keys.js';

const test = roomSuite('weak keys');

const P = (1n << 255n) - 19n;

function le32(n: bigint, signBit = false): Buffer {
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn);
  if (signBit) out[31]! |= 0x80;
  return out;
}

function yOf(encoded: Buffer): bigint {
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? encoded[i]! & 0x7f : encoded[i]!);
  return y;
}

// The eight points written out independently of the server's list: identity, the point of order 2,
// the two of order 4 (y = 0) and the four of order 8.
const CANONICAL = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
].map((h) => Buffer.from(h, 'hex'));

/** Every other byte string that decodes to one of the eight: y + p where that fits in 255 bits, and x = 0 with the sign bit set. */
function nonCanonical(): Buffer[] {
  const out = new Map<string, Buffer>();
  const add = (b: Buffer): void => void out.set(b.toString('hex'), b);
  for (const point of CANONICAL) {
    const y = yOf(point);
    const sign = (point[31]! & 0x80) !== 0;
    if (y + P < 1n << 255n) [le32(y + P, sign), le32(y + P, !sign)].forEach(add);
    // y = 1 and y = -1 have x = 0, whose only canonical sign bit is 0.
    if ((y === 1n || y === P - 1n) && !sign) add(le32(y, true));
  }
  return [...out.values()];
}

/** A join frame with the key and a proof of R = identity, S = 0, which verifies under any small-order key. */
function weakJoin(roomId: string, key: PublicKey): Record<string, unknown> {
  const proof = Buffer.concat([CANONICAL[0]!, Buffer.alloc(32)]).toString('base64url');
  return { type: 'join', roomId, name: 'mallory', key, proof };
}

test('the server list holds exactly the eight small-order points', () => {
  assert.equal(
    [...SMALL_ORDER_ED25519].map((b) => Buffer.from(b).toString('hex')).sort(),
    CANONICAL.map((b) => b.toString('hex')).sort(),
  );
});

test('every small-order Ed25519 key, canonical or not, is refused with bad-key', async (ctx) => {
  const encodings = [...CANONICAL, ...nonCanonical()];
  // y = 0 and y = 1 have y + p (with either sign bit); y = 1 and y = -1 have x = 0 with the sign bit set.
  assert.is(encodings.length, 8 + 4 + 2);
  for (const raw of encodings) {
    const c = await connect(ctx);
    c.sendJson(weakJoin(ctx.roomId, { alg: 'Ed25519', pub: raw.toString('base64url') }));
    const err = await c.next('error');
    assert.is(err.code, 'bad-key', raw.toString('hex'));
    c.close();
  }
});

test('a non-canonical encoding of an ordinary point is refused too', async (ctx) => {
  // y in [p, 2^255) is never canonical, whatever point it names.
  for (const y of [P, P + 2n, P + 18n]) {
    const c = await connect(ctx);
    c.sendJson(weakJoin(ctx.roomId, { alg: 'Ed25519', pub: le32(y).toString('base64url') }));
    assert.is((await c.next('error')).code, 'bad-key', y.toString(16));
    c.close();
  }
});

test('an ordinary key still joins', async (ctx) => {
  const c = await connect(ctx, newIdentity());
  const welcome = await c.join(ctx.roomId, 'alice');
  assert.is(welcome.name, 'alice');
});

test('ES256 refuses a point off the curve and the point at infinity', async (ctx) => {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  const offCurve = Buffer.from(y);
  offCurve[31]! ^= 1;
  const keys = [
    Buffer.concat([Buffer.from([4]), x, offCurve]),
    // The point at infinity has no affine coordinates: SEC 1 encodes it as the single byte 0,
    // and some encoders write it as 0x04 followed by zeros.
    Buffer.from([0]),
    Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]),
  ];
  for (const raw of keys) {
    const c = await connect(ctx);
    c.sendJson(weakJoin(ctx.roomId, { alg: 'ES256', pub: raw.toString('base64url') }));
    assert.is((await c.next('error')).code, 'bad-key', raw.toString('hex'));
    c.close();
  }
});

test.run();
