/**
 * The canonical bytes of moderation (moderation.ts): what an actor signs,
 * what an owner's claim signs, and what an action's chain link covers.
 * Plain functions with no schema library, so the widget can import them
 * without bundling it; moderation.ts re-exports everything here.
 */
import type { PublicKey } from './keys.js';
import type { ModerationAction } from './moderation.js';

export const MODERATION_TAG = 'tiny-chat:moderate:v1';
export const ACTION_CHAIN_TAG = 'tiny-chat:chain:action:v1';
export const OWNER_TAG = 'tiny-chat:owner:v1';

const encoder = new TextEncoder();

function safe(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new TypeError(`${what} must be a safe integer`);
  return n;
}

/** An action's own fields in a fixed order, after its `act`. */
export function actionFields(a: ModerationAction): (string | number)[] {
  switch (a.act) {
    case 'remove':
      return [a.act, safe(a.seq, 'seq'), a.chain];
    case 'kick':
      return [a.act, a.target.alg, a.target.pub, safe(a.forMs, 'forMs')];
    case 'ban':
    case 'unban':
    case 'promote':
    case 'demote':
      return [a.act, a.target.alg, a.target.pub];
    case 'slow':
      return [a.act, safe(a.intervalMs, 'intervalMs')];
    case 'lock':
    case 'unlock':
    case 'end':
      return [a.act];
  }
}

export interface ModerationFields {
  readonly roomId: string;
  readonly id: string;
  readonly ts: number;
  readonly action: ModerationAction;
}

/** The bytes an actor signs: the room id binds it to one room, the tag to this purpose. */
export function moderationSigningBytes(m: ModerationFields): Uint8Array {
  return encoder.encode(JSON.stringify([MODERATION_TAG, m.roomId, m.id, safe(m.ts, 'ts'), ...actionFields(m.action)]));
}

/** The bytes a creator signs to own the room it creates. */
export function ownerSigningBytes(ts: number): Uint8Array {
  return encoder.encode(JSON.stringify([OWNER_TAG, safe(ts, 'ts')]));
}

/** What an action's chain link covers: as chain.ts's record, with the action in place of text. */
export interface ActionChainRecord {
  readonly seq: number;
  readonly name: string;
  readonly key: PublicKey;
  readonly id: string;
  readonly ts: number;
  readonly action: ModerationAction;
  readonly sig: string;
}

/** The bytes whose SHA-256 is an action entry's `chain`, given the previous link. */
export function actionChainBytes(prev: string, r: ActionChainRecord): Uint8Array {
  return encoder.encode(
    JSON.stringify([
      ACTION_CHAIN_TAG,
      prev,
      safe(r.seq, 'seq'),
      r.name,
      r.key.alg,
      r.key.pub,
      r.id,
      safe(r.ts, 'ts'),
      ...actionFields(r.action),
      r.sig,
    ]),
  );
}

export const sameKey = (a: PublicKey, b: PublicKey): boolean => a.alg === b.alg && a.pub === b.pub;
