/**
 * The moderation chunk (lazy.ts): loaded when the user is the room's owner
 * or a moderator, when the room's order holds an action or a tombstone, or
 * when a moderator or the owner ended the visit; never for a plain room.
 * The main script keeps only the hooks (room-visit.ts, the templates'
 * `tools` slots); everything moderation says or does is here. Only `html`
 * and `nothing` may come from lit (lazy.script.ts).
 */
import type { TemplateResult } from 'lit';
import type { ErrorFrame, Member } from '../../protocol/frames.js';
import type { ActionEntry, OwnerClaim, RemovedEntry } from '../../protocol/moderation.js';
import { ownerSigningBytes } from '../../protocol/moderation-bytes.js';
import { publicKeyOf, type Identity } from '../keys.js';
import type { RoomVisit } from '../room-visit.js';
import { sign } from '../signing.js';
import type { TimeFormats } from '../grouping.js';
import type { Strings } from '../strings.js';
import type { ShownMessage } from '../timeline.js';
import { endedReason, endedTemplate } from './ended.js';
import { rowTemplate, type AllStrings } from './rows.js';
import { SessionState, type SessionContext } from './session.js';
import { MODERATION_STRINGS, type ModerationStrings } from './strings.js';
import { MODERATION_STYLES } from './styles.js';
import { Tools } from './tools.js';

export { endedReason, endedTemplate, MODERATION_STRINGS };
export type { ModerationStrings, SessionContext };

const all = (t: Strings): AllStrings => ({ ...MODERATION_STRINGS, ...t });

/** What the main script calls on a visit's moderation part. */
export interface ModerationSession {
  check(entry: ActionEntry | RemovedEntry, prev: string | Promise<string> | undefined): Promise<boolean>;
  /** A live `moderation` frame's entry (already in the timeline): applied once it checks out. */
  live(entry: ActionEntry): Promise<void>;
  /** An answer to one of this chunk's `moderate` frames (an ack without `error`): true when it was one. */
  answered(id: string | undefined, error?: ErrorFrame): boolean;
  row(shown: ShownMessage, t: Strings, formats: TimeFormats): TemplateResult;
  messageTools(shown: ShownMessage, t: Strings): unknown;
  memberTools(member: Member, t: Strings): unknown;
  roomTools(t: Strings): unknown;
  dialog(t: Strings): unknown;
}

/** Gives the element's shadow root the chunk's own stylesheet, once. */
function adoptStyles(root: ShadowRoot | null): void {
  if (!root || root.adoptedStyleSheets.includes(MODERATION_STYLES)) return;
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, MODERATION_STYLES];
}

/** The claim that makes `identity`'s key the owner of the room it creates, at `ts` (create-room.ts). */
export async function ownerClaim(identity: Identity, ts = Date.now()): Promise<OwnerClaim> {
  return { key: publicKeyOf(identity), ts, proof: await sign(identity, ownerSigningBytes(ts)) };
}

/** The moderation part of one visit. */
export function session(visit: RoomVisit): ModerationSession {
  const { identity, members, redraw, host } = visit.ctx;
  const ctx: SessionContext = {
    visit,
    identity,
    members,
    redraw,
    host: host as SessionContext['host'],
    send: (frame) => visit.socket.sendIfJoined(frame),
    now: () => Date.now() + visit.clockOffset,
  };
  const state = new SessionState(ctx);
  const tools = new Tools(state);
  adoptStyles(ctx.host.shadowRoot);
  visit.mod = {
    check: (entry, prev) => state.check(entry, prev),
    live: (entry) => state.live(entry),
    answered: (id, error) => state.answered(id, error),
    row: (shown, t, formats) => rowTemplate(state, shown, all(t), formats),
    messageTools: (shown, t) => tools.message(shown, all(t)),
    memberTools: (member, t) => tools.member(member, all(t)),
    roomTools: (t) => tools.room(all(t)),
    dialog: (t) => tools.dialog(all(t)),
  };
  redraw();
  return visit.mod;
}
