/**
 * The views of a visit a moderator or the owner ended: removed for a while
 * (kicked: when the rejoin is allowed, then a Rejoin button), banned (said
 * once, no retry), the room ended by its owner or an operator (with the
 * usual "Start a new room"), or refused at the door of a locked room (with
 * Try again). Same part and layout as the other dead ends (setup-templates.ts).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { DeadEnd } from '../dead-end.js';
import { fill, type Strings } from '../strings.js';
import { MODERATION_STRINGS } from './strings.js';

export interface EndedActions {
  startNew(): void;
  rejoin(): void;
  /** Draws again (when a kick runs out). */
  redraw(): void;
}

const KEYS = {
  kicked: 'endedKicked',
  banned: 'endedBanned',
  'room-ended': 'endedByOwner',
  'room-locked': 'endedLocked',
} as const;

/** The words for a moderation end; undefined for the other dead ends. */
export function endedReason(code: string, text: Partial<Strings>): string | undefined {
  const key = KEYS[code as keyof typeof KEYS] as keyof typeof MODERATION_STRINGS | undefined;
  return key && { ...MODERATION_STRINGS, ...text }[key];
}

const timers = new WeakMap<DeadEnd, ReturnType<typeof setTimeout>>();

export function endedTemplate(
  dead: DeadEnd,
  text: Strings,
  actions: EndedActions,
): TemplateResult | undefined {
  const reason = endedReason(dead.code, text);
  if (reason === undefined) return undefined;
  const t = { ...MODERATION_STRINGS, ...text };
  const wait = dead.code === 'kicked' && dead.until !== undefined ? dead.until - Date.now() : 0;
  if (wait > 0 && !timers.has(dead)) timers.set(dead, setTimeout(actions.redraw, wait + 50));
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  let after: unknown = nothing;
  if (dead.code === 'kicked')
    after =
      wait > 0
        ? html`<p>${fill(t.endedKickedUntil, { time: time.format(dead.until) })}</p>`
        : html`<button type="button" @click=${actions.rejoin}>${t.rejoin}</button>`;
  else if (dead.code === 'room-locked')
    after = html`<button type="button" @click=${actions.rejoin}>${t.tryAgain}</button>`;
  else if (dead.code === 'room-ended')
    after = html`${dead.dropped ? html`<p>${fill(t.droppedUnsent, { count: dead.dropped })}</p>` : nothing}
      <button type="button" @click=${actions.startNew}>${t.startNewRoom}</button>`;
  return html`<div part="dead-end" class="empty main dead-end" data-code=${dead.code}>
    <p id="dead-end-reason" part="error" class="error" role="alert">${reason}</p>
    ${after}
  </div>`;
}
