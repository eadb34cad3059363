/**
 * The views of a visit a moderator or the owner ended: removed for a while
 * (kicked: when the rejoin is allowed, then a Rejoin button), banned (said
 * once, no retry), the room ended by its owner or an operator (with the
 * usual "Start a new room"), or refused at the door of a locked room (with
 * Try again). Same part and layout as the other dead ends (setup-templates.ts),
 * whose view an ended room keeps, in these words.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { DeadEnd } from '../dead-end.js';
import type { RoomController } from '../room-controller.js';
import { fill, type Strings } from '../strings.js';
import { MODERATION_STRINGS } from './strings.js';

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
const asked = new WeakSet<RoomController>();

/**
 * The view of a moderation end, or undefined for the others and for an ended
 * room (the usual dead end with "Start a new room" shows, in endedReason's words).
 */
export function endedTemplate(
  model: RoomController,
  host: ReactiveControllerHost,
  text: Strings,
): TemplateResult | undefined {
  const dead = model.dead;
  const reason = dead && dead.code !== 'room-ended' ? endedReason(dead.code, text) : undefined;
  if (!dead || reason === undefined) return undefined;
  const t = { ...MODERATION_STRINGS, ...text };
  // After a kick that has run out, or at a lock: join again.
  const rejoin = (): void => {
    model.dead = undefined;
    model.errors.clear();
    // The turned-away visit is over: a new one joins.
    model.stop();
    model.start();
  };
  // Closed before the kick itself arrived, the time is unknown: one join asks (the server answers
  // `kicked` with retryAfterMs, which this view then shows). Once only: never a loop.
  if (dead.code === 'kicked' && dead.until === undefined && !asked.has(model)) {
    asked.add(model);
    queueMicrotask(rejoin);
  }
  const wait = dead.code === 'kicked' && dead.until !== undefined ? dead.until - Date.now() : 0;
  // When the kick runs out, the view offers the rejoin.
  if (wait > 0 && !timers.has(dead))
    timers.set(
      dead,
      setTimeout(() => host.requestUpdate(), wait + 50),
    );
  const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
  let after: unknown = nothing;
  if (dead.code === 'kicked')
    after =
      wait > 0
        ? html`<p>${fill(t.endedKickedUntil, { time: time.format(dead.until) })}</p>`
        : html`<button type="button" @click=${rejoin}>${t.rejoin}</button>`;
  else if (dead.code === 'room-locked') after = html`<button type="button" @click=${rejoin}>${t.tryAgain}</button>`;
  return html`<div part="dead-end" class="empty main dead-end" data-code=${dead.code}>
    <p id="dead-end-reason" part="error" class="error" role="alert">${reason}</p>
    ${after}
  </div>`;
}
