/**
 * How moderation entries read in the conversation: an action is a quiet
 * notice where it happened ("Bob was banned"), a tombstone keeps the removed
 * message's sender and time and says who removed it. Names go into text
 * bindings only, inside <bdi>, like every other name in the widget.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ActionEntry, RemovedEntry } from '../../protocol/moderation.js';
import type { TimeFormats } from '../grouping.js';
import { fill, type Strings } from '../strings.js';
import type { ShownMessage } from '../timeline.js';
import type { SessionState } from './session.js';
import type { ModerationStrings } from './strings.js';

export type AllStrings = Strings & ModerationStrings;

/** "30 s", "5 min", "1 h", "1 day": a slow-mode interval or a kick's length, in the largest whole unit. */
export function interval(ms: number): string {
  const whole = (unit: number): boolean => ms >= unit && ms % unit === 0;
  if (whole(86_400_000)) return ms === 86_400_000 ? '1 day' : `${ms / 86_400_000} days`;
  if (whole(3_600_000)) return `${ms / 3_600_000} h`;
  return whole(60_000) ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/** Who acted, as a notice says it: "the owner" for the owner's key, else the actor's name. */
function actor(state: SessionState, key: { pub: string }, name: string, t: AllStrings): string {
  return state.standing.isOwner(key.pub) ? t.theOwner : name;
}

/** The notice's words for one action (a stored `end` never occurs: ended rooms are gone). */
export function actionText(state: SessionState, entry: ActionEntry, t: AllStrings): string {
  const a = entry.action;
  const target = 'target' in a ? (state.nameOf(a.target.pub) ?? t.someone) : '';
  switch (a.act) {
    case 'remove':
      return fill(t.noticeRemove, { actor: actor(state, entry.key, entry.name, t) });
    case 'kick':
      return fill(t.noticeKick, { name: target });
    case 'ban':
      return fill(t.noticeBan, { name: target });
    case 'unban':
      return fill(t.noticeUnban, { name: target });
    case 'promote':
      return fill(t.noticePromote, { name: target });
    case 'demote':
      return fill(t.noticeDemote, { name: target });
    case 'lock':
      return t.noticeLock;
    case 'unlock':
      return t.noticeUnlock;
    case 'slow':
      return a.intervalMs === 0 ? t.noticeSlowOff : fill(t.noticeSlow, { interval: interval(a.intervalMs) });
    default:
      return '';
  }
}

function unverifiedMark(shown: ShownMessage, t: AllStrings): unknown {
  return shown.verified === false
    ? html` <span class="unverified" title=${t.unverifiedTitle}>${t.unverified}</span>`
    : nothing;
}

function tombstone(
  state: SessionState,
  shown: ShownMessage,
  e: RemovedEntry,
  t: AllStrings,
  f: TimeFormats,
): TemplateResult {
  const date = new Date(e.at);
  return html`<li
    part="message tombstone"
    class="message tombstone"
    data-seq=${e.seq}
    data-verified=${String(shown.verified)}
  >
    <div class="meta">
      <bdi class="name">${e.name}</bdi
      ><time datetime=${date.toISOString()} title=${f.full.format(date)}>${f.time.format(date)}</time>
    </div>
    <div class="text">${fill(t.tombstone, { actor: actor(state, e.removedBy.key, e.removedBy.name, t) })}</div>
  </li>`;
}

/** One action or tombstone of the timeline. */
export function rowTemplate(state: SessionState, shown: ShownMessage, t: AllStrings, f: TimeFormats): TemplateResult {
  const e = shown.message as ActionEntry | RemovedEntry;
  if (e.kind === 'removed') return tombstone(state, shown, e, t, f);
  return html`<li part="notice" class="notice action" data-seq=${e.seq} data-verified=${String(shown.verified)}>
    ${actionText(state, e, t)}${unverifiedMark(shown, t)}
  </li>`;
}
