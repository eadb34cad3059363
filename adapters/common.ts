/**
 * Small rules every adapter must apply identically, kept in one place so the
 * backends cannot drift apart.
 */
import { createHash } from 'node:crypto';
import type { PublicKey } from '../protocol/frames.js';

/** A key's identity: the same bytes under another algorithm are another key. */
export const keyId = (k: PublicKey): string => `${k.alg}:${k.pub}`;

/** Dedupe compares content by digest, so trimmed messages need not keep their text. */
export const contentDigest = (ts: number, text: string): string =>
  createHash('sha256')
    .update(JSON.stringify([ts, text]))
    .digest('base64url');

/**
 * One entry per name, ordered by name as JS compares strings (UTF-16 code
 * units), which is not how SQLite or Redis would sort them.
 */
export function membersByName(entries: Iterable<{ name: string; key: PublicKey }>): { name: string; key: PublicKey }[] {
  const byName = new Map<string, PublicKey>();
  for (const e of entries) byName.set(e.name, e.key);
  return [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, key]) => ({ name, key }));
}
