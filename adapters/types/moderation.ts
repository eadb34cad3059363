/**
 * The storage contract's moderation: an action as the server hands it to
 * storage, and what storage answers (adapters/types.ts re-exports them; the
 * rules are adapters/moderation-rules.ts).
 */
import type { PublicKey } from '../../protocol/frames.js';
import type { ActionEntry, ModerationAction, RemovedEntry } from '../../protocol/moderation.js';
import type { NotLive } from './rooms.js';

/** A signed moderation action as the server verified it, before storage orders it. */
export interface NewAction {
  readonly id: string;
  /** The actor's name in the room. */
  readonly name: string;
  readonly key: PublicKey;
  readonly ts: number;
  /** `end` is never stored: the server calls endRoom after checking the owner's signature. */
  readonly action: Exclude<ModerationAction, { act: 'end' }>;
  readonly sig: string;
  readonly at: number;
}

/**
 * The outcome of appendAction. The actor's standing is checked in the same
 * atomic step that stores the action, so a moderator demoted a moment ago
 * cannot slip one more action in.
 */
export type ActionResult =
  | {
      readonly status: 'stored';
      readonly entry: ActionEntry;
      /** For `remove`: the tombstone that replaced the message. */
      readonly removed?: RemovedEntry;
    }
  /** Same (name, id) with the same content: the original action. */
  | { readonly status: 'duplicate'; readonly entry: Omit<ActionEntry, 'chain'> & { readonly chain?: string } }
  | { readonly status: 'conflict' }
  /**
   * The actor may not do this: not the owner or a moderator now, a moderator
   * doing an owner-only act, or a moderator acting on the owner or another
   * moderator (only the owner may).
   */
  | { readonly status: 'forbidden' }
  /** `remove` names no stored message with that chain link (trimmed, already removed, or never there). */
  | { readonly status: 'no-target' }
  | NotLive;
