/**
 * What the clients send, built and signed before any timed window: tiny-chat
 * `send` frames signed by their sender, and for the baselines a frame of the
 * same shape and size as the `message` frame tiny-chat delivers.
 */
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import { messageSigningBytes } from '../../protocol/canonical.js';

/** Message text length in the bench: a short chat line. */
export const TEXT =
  'The quick brown fox jumps over the lazy dog while the bench counts every frame it gets back. 0123456';

export interface Signer {
  readonly privateKey: KeyObject;
  readonly roomId: string;
  readonly name: string;
}

/** The signing bytes of a typical bench message, for the raw-verify baseline. */
export function sampleSigningBytes(): Uint8Array {
  return messageSigningBytes({
    roomId: randomBytes(16).toString('base64url'),
    name: 'member-10',
    id: 'c17-000001',
    ts: Date.now(),
    text: TEXT,
  });
}

/** `count` signed send frames with ids `${prefix}-000000`, … */
export function signedSends(s: Signer, prefix: string, count: number): string[] {
  const out: string[] = [];
  const ts = Date.now();
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${String(i).padStart(6, '0')}`;
    const bytes = messageSigningBytes({ roomId: s.roomId, name: s.name, id, ts, text: TEXT });
    const sig = sign(null, bytes, s.privateKey).toString('base64url');
    out.push(JSON.stringify({ type: 'send', roomId: s.roomId, id, ts, text: TEXT, sig }));
  }
  return out;
}

const FAKE_SIG = randomBytes(64).toString('base64url');
const FAKE_PUB = randomBytes(32).toString('base64url');

/** A delivered-message-sized JSON object with a unique id, for the baselines to broadcast. */
export function plainMessage(prefix: string, i: number): string {
  const id = `${prefix}-${String(i).padStart(6, '0')}`;
  const now = Date.now();
  const key = { alg: 'Ed25519', pub: FAKE_PUB };
  return JSON.stringify({
    type: 'message',
    seq: 100000 + i,
    id,
    name: 'member-10',
    ts: now,
    text: TEXT,
    sig: FAKE_SIG,
    key,
    at: now,
  });
}

const ID = /"id":"([^"]+)"/;

/** The message id in a delivered frame, for latency matching (any of the three servers). */
export function deliveredId(data: Buffer): string | undefined {
  return ID.exec(data.toString())?.[1];
}
