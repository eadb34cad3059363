/**
 * The widget's side of the room's hash chain (protocol/chain.ts): whether a
 * message extends the link before it, and which of the messages shown are no
 * longer in the room after the server answered a resume with `ahead` or
 * `rewritten`. A message whose predecessor is not held cannot be checked, and
 * passes; one that is checked and fails is shown unverified, like a bad
 * signature. Actions and tombstones are links of the same chain; the
 * moderation chunk checks those (widget/moderation/check.ts).
 */
import { chainLink } from '../protocol/chain.js';
import type { ChatMessage } from '../protocol/frames.js';

/** What a link check needs of any entry (message, action or tombstone). */
type Link = Pick<ChatMessage, 'seq' | 'chain'>;

/** True when `m` extends `prev`, or when `prev` is not known (nothing to check against). */
export async function linkHolds(prev: string | Promise<string> | undefined, m: ChatMessage): Promise<boolean> {
  if (prev === undefined) return true;
  try {
    return (await chainLink(await prev, m)) === m.chain;
  } catch {
    // A field that cannot be serialized (a seq or ts that is not a safe integer) is no link at all.
    return false;
  }
}

/**
 * Of the messages a client held, those the server no longer has: beyond its
 * last seq, or under a seq it now holds with another link. Messages older
 * than the snapshot are left alone (paging back brings them, checked again).
 */
export function noLongerInRoom<T extends { readonly message: Link }>(
  held: readonly T[],
  snapshot: { readonly lastSeq: number; readonly messages: readonly Link[] },
): T[] {
  const now = new Map(snapshot.messages.map((m) => [m.seq, m.chain]));
  return held.filter(({ message: m }) => m.seq > snapshot.lastSeq || (now.has(m.seq) && now.get(m.seq) !== m.chain));
}
