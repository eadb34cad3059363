/**
 * What the transcript verifier checks of moderation (docs/protocol.md, "The
 * transcript format"): each action is signed by its actor over
 * moderationSigningBytes and links by actionChainBytes; its actor was the
 * owner or a moderator at that point, replaying promote and demote from the
 * staff the file states as of its first entry; and each tombstone is named by
 * a later `remove` by staff whose `chain` is the tombstone's own link. A
 * tombstone no such action names, or a `remove` whose target is still in the
 * file with its text or under another link, fails: the server cannot erase a
 * message and blame staff, nor keep one a moderator removed.
 */
import { Value } from '@sinclair/typebox/value';
import type { PublicKey } from './keys.js';
import { moderationSigningBytes, actionChainBytes, OWNER_ONLY_ACTS, sameKey } from './moderation.js';
import { encodeBase64url } from './base64url.js';
import { verifySignature } from './signature.js';
import {
  ActionEntrySchema,
  RemovedEntrySchema,
  type ActionEntryFile,
  type EntryEnvelope,
  type RemovedEntryFile,
  type TranscriptStaff,
} from './transcript.js';

/** The staff as replayed so far, and the removals waiting to be matched. */
export class ModerationReplay {
  readonly #owner: PublicKey | null;
  readonly #moderators: Set<string>;
  /** Tombstones not yet named by a remove action, by seq. */
  readonly #tombstones = new Map<number, RemovedEntryFile>();
  /** The kind of every entry seen so far, by seq: a remove must find its target a tombstone. */
  readonly #kinds = new Map<number, string>();

  constructor(staff: TranscriptStaff | undefined) {
    this.#owner = staff?.owner ?? null;
    this.#moderators = new Set((staff?.moderators ?? []).map(id));
  }

  /** An entry of any kind was read at `seq` (for the remove check). */
  saw(entry: EntryEnvelope): void {
    this.#kinds.set(entry.seq, entry.kind);
  }

  /** Why `a` could not do its act now, or undefined when it could; applies promote and demote. */
  standing(a: ActionEntryFile): string | undefined {
    const isOwner = this.#owner !== null && sameKey(this.#owner, a.key);
    const isModerator = this.#moderators.has(id(a.key));
    if (!isOwner && !isModerator) return 'its actor was neither the owner nor a moderator then';
    const act = a.action.act;
    if (act === 'end') return 'an `end` is never stored: the room is gone';
    if (!isOwner && OWNER_ONLY_ACTS.has(act)) return `only the owner may ${act}`;
    if ((act === 'kick' || act === 'ban') && this.#owner !== null && sameKey(this.#owner, a.action.target)) {
      return `nobody may ${act} the owner`;
    }
    if ('target' in a.action && !isOwner) {
      const t = a.action.target;
      if ((this.#owner !== null && sameKey(this.#owner, t)) || this.#moderators.has(id(t))) {
        return `a moderator may not ${act} the owner or another moderator`;
      }
    }
    if (act === 'promote') this.#moderators.add(id(a.action.target));
    if (act === 'demote') this.#moderators.delete(id(a.action.target));
    return undefined;
  }

  tombstone(r: RemovedEntryFile): void {
    this.#tombstones.set(r.seq, r);
  }

  /** A remove by staff: its target, when in the file, must be a tombstone of the same link that names it. */
  removal(a: ActionEntryFile & { action: { act: 'remove' } }): string | undefined {
    const { seq, chain } = a.action;
    const t = this.#tombstones.get(seq);
    if (t === undefined) {
      const kind = this.#kinds.get(seq);
      if (kind === undefined) return undefined; // trimmed before the file's first entry
      return kind === 'message'
        ? `it removes message ${seq}, which the file still holds with its text`
        : `it removes seq ${seq}, which is not a message (${kind})`;
    }
    this.#tombstones.delete(seq);
    if (t.chain !== chain) return `the tombstone at seq ${seq} has another link than the one this remove names`;
    if (t.removedBy.seq !== a.seq || t.removedBy.name !== a.name || !sameKey(t.removedBy.key, a.key)) {
      return `the tombstone at seq ${seq} names another remover than this action`;
    }
    return undefined;
  }

  /** Tombstones no remove by staff named: their text was erased without a moderator's signature. */
  unmatched(): RemovedEntryFile[] {
    return [...this.#tombstones.values()];
  }
}

const id = (k: PublicKey): string => `${k.alg}:${k.pub}`;

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer);
  return encodeBase64url(new Uint8Array(digest));
}

/** The entry's own fields, its signature and its link; undefined `problem` when it is well-formed. */
export async function checkActionEntry(
  entry: EntryEnvelope,
  roomId: string,
  prev: string | undefined,
): Promise<{ problem?: string; action?: ActionEntryFile; signed: boolean; link: string | undefined }> {
  if (!Value.Check(ActionEntrySchema, entry)) return { problem: 'malformed', signed: false, link: undefined };
  const a = entry;
  const bytes = moderationSigningBytes({ roomId, id: a.id, ts: a.ts, action: a.action });
  const signed = await verifySignature(a.key.alg, a.key.pub, a.sig, bytes);
  const link = prev === undefined ? undefined : await sha256(actionChainBytes(prev, a));
  return { action: a, signed, link };
}

export function isRemovedEntry(entry: EntryEnvelope): entry is EntryEnvelope & RemovedEntryFile {
  return Value.Check(RemovedEntrySchema, entry);
}
