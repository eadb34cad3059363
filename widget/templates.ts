/**
 * Pure templates for one message and one member. User data only ever goes
 * into text bindings or a checked http(s) href, never into HTML; names sit in
 * <bdi> so a right-to-left name cannot reorder the text around it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ChatMessage } from '../protocol/frames.js';
import type { Outgoing } from './outbox.js';
import { linkify } from './linkify.js';
import { fill, type Strings } from './strings.js';
import type { TimeFormats } from './grouping.js';
import type { ShownMessage } from './timeline.js';

function text(value: string): TemplateResult {
  return html`${linkify(value).map((part) =>
    part.kind === 'link'
      ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow ugc">${part.text}</a>`
      : part.text,
  )}`;
}

/** The short time on screen; the full date-time on hover and, instead of the short one, to screen readers. */
function time(ts: number, formats: TimeFormats): TemplateResult {
  const date = new Date(ts);
  const full = formats.full.format(date);
  return html`<time datetime=${date.toISOString()} title=${full}
    ><span aria-hidden="true">${formats.time.format(date)}</span><span class="vh">${full}</span></time
  >`;
}

function trustMark(shown: ShownMessage, fingerprint: string | undefined, strings: Strings): unknown {
  if (shown.gone) return html`<span class="gone" title=${strings.goneTitle}>${strings.goneMark}</span>`;
  if (shown.verified === false)
    return html`<span class="unverified" title=${strings.unverifiedTitle}>${strings.unverified}</span>`;
  if (shown.verified !== true) return nothing;
  const label = fill(strings.verifiedTitle, { fingerprint: fingerprint ?? '…' });
  return html`<span part="verified" class="verified" role="img" aria-label=${label} title=${label}>✓</span>`;
}

/**
 * One message (the moderation chunk draws actions and tombstones), with
 * `tools` (the chunk's Remove for staff) at its end. A message that continues its sender's group (`cont`) keeps its
 * name and time for screen readers and as a tooltip, but not on screen.
 */
export function messageTemplate(
  shown: ShownMessage,
  own: boolean,
  cont: boolean,
  fingerprint: string | undefined,
  strings: Strings,
  formats: TimeFormats,
  tools: unknown,
): TemplateResult {
  const m = shown.message as ChatMessage;
  return html`<li
    part=${own ? 'message own-message' : 'message'}
    class="message${own ? ' own' : ''}${cont ? ' cont' : ''}${shown.gone ? ' gone' : ''}"
    data-seq=${m.seq}
    data-gone=${shown.gone ? 'true' : nothing}
    data-verified=${String(shown.verified)}
    title=${cont ? formats.full.format(m.at) : nothing}
  >
    <div class=${cont ? 'meta vh' : 'meta'}>
      <bdi class="name">${m.name}</bdi>${time(m.at, formats)}${cont ? nothing : trustMark(shown, fingerprint, strings)}
    </div>
    ${
      cont
        ? html`<div class="line">
            <div class="text">${text(m.text)}</div>
            ${trustMark(shown, fingerprint, strings)}
          </div>`
        : html`<div class="text">${text(m.text)}</div>`
    }
    ${tools}
  </li>`;
}

export interface OutboxActions {
  retry(id: string): void;
  dismiss(id: string): void;
}

function statusLabel(item: Outgoing, strings: Strings): string {
  if (item.status === 'failed') return item.error === 'expired' ? strings.failedExpired : strings.failed;
  return item.status === 'sending' ? strings.sending : strings.queued;
}

export function outgoingTemplate(item: Outgoing, me: string, strings: Strings, actions: OutboxActions): TemplateResult {
  const failed = item.status === 'failed';
  return html`<li part="message own-message pending" class="message own pending" data-id=${item.id}>
    <div class="meta">
      <bdi class="name">${me}</bdi><span class=${failed ? 'failed' : ''}>${statusLabel(item, strings)}</span>
    </div>
    <div class="text">${text(item.text)}</div>
    ${
      failed
        ? html`<div class="actions">
            <button type="button" part="retry-button" class="quiet" @click=${() => actions.retry(item.id)}>
              ${strings.retry}
            </button>
            <button type="button" part="dismiss-button" class="quiet" @click=${() => actions.dismiss(item.id)}>
              ${strings.dismiss}
            </button>
          </div>`
        : nothing
    }
  </li>`;
}

export function memberTemplate(
  name: string,
  fingerprint: string | undefined,
  me: boolean,
  strings: Strings,
  tools: unknown,
): TemplateResult {
  return html`<li part="member">
    <bdi>${name}</bdi>${me ? html` (${strings.you})` : nothing}
    <code title=${strings.fingerprint}>${fingerprint ?? '…'}</code>${tools}
  </li>`;
}
