/**
 * Checking moderation entries as the timeline meets them (timeline.ts asks
 * through the visit): an action must be signed by its actor over
 * moderationSigningBytes, its actor must be the owner or a moderator (the
 * owner alone for promote, demote and end), and its chain link must extend
 * the link before it (actionChainBytes), like a message's. A tombstone has
 * no text left to hash: its link is taken as it is, because the remove
 * action that made it signed that very link (`chain`), and the entries after
 * it still have to extend it. A failed check shows the entry unverified and
 * never applies it.
 */
import { encodeBase64url } from '../../protocol/base64url.js';
import type { ActionEntry, RemovedEntry, RoomStaff } from '../../protocol/moderation.js';
import { actionChainBytes, moderationSigningBytes } from '../../protocol/moderation-bytes.js';
import { verifySigned } from '../signing.js';

const OWNER_ONLY = ['promote', 'demote', 'end'];

async function sha256(bytes: Uint8Array): Promise<string> {
  return encodeBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes.slice().buffer)));
}

/**
 * Who may act: the owner, the moderators the welcome named, and anyone seen
 * promoted since (an earlier action by a moderator demoted later was made
 * with standing, so history keeps verifying).
 */
export class Standing {
  readonly #once = new Set<string>();

  constructor(readonly staff: () => RoomStaff | undefined) {}

  promoted(pub: string): void {
    this.#once.add(pub);
  }

  isOwner(pub: string): boolean {
    return this.staff()?.owner?.pub === pub;
  }

  isModerator(pub: string): boolean {
    return !!this.staff()?.moderators.some((k) => k.pub === pub);
  }

  /** May `pub` have made `entry`'s action? */
  mayAct(entry: ActionEntry): boolean {
    const pub = entry.key.pub;
    if (this.isOwner(pub)) return true;
    return !OWNER_ONLY.includes(entry.action.act) && (this.isModerator(pub) || this.#once.has(pub));
  }
}

/** The action's signature and its actor's standing (not its link). */
export async function trusted(roomId: string, entry: ActionEntry, standing: Standing): Promise<boolean> {
  if (!standing.mayAct(entry)) return false;
  const { id, ts, action } = entry;
  try {
    return await verifySigned(entry.key, entry.sig, moderationSigningBytes({ roomId, id, ts, action }));
  } catch {
    // A field that cannot be serialized (an unsafe integer) is no signature at all.
    return false;
  }
}

/** True when the entry checks out against `prev` (the link before it; undefined when that one is not held). */
export async function checkEntry(
  roomId: string,
  entry: ActionEntry | RemovedEntry,
  prev: string | Promise<string> | undefined,
  standing: Standing,
): Promise<boolean> {
  if (entry.kind === 'removed') return true;
  if (!(await trusted(roomId, entry, standing))) return false;
  if (prev === undefined) return true;
  try {
    return (await sha256(actionChainBytes(await prev, entry))) === entry.chain;
  } catch {
    return false;
  }
}
