/**
 * Pure templates for one message and one member. User data only ever goes
 * into text bindings or a checked http(s) href, never into HTML; names sit in
 * <bdi> so a right-to-left name cannot reorder the text around it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Outgoing } from './outbox.js';
import { linkify } from './linkify.js';
import type { Strings } from './strings.js';
import type { ShownMessage } from './timeline.js';

function text(value: string): TemplateResult {
  return html`${linkify(value).map((part) =>
    part.kind === 'link'
      ? html`<a href=${part.href} target="_blank" rel="noopener noreferrer nofollow ugc">${part.text}</a>`
      : part.text,
  )}`;
}

function time(ts: number, format: Intl.DateTimeFormat): TemplateResult {
  const date = new Date(ts);
  return html`<time datetime=${date.toISOString()}>${format.format(date)}</time>`;
}

export function messageTemplate(
  shown: ShownMessage,
  own: boolean,
  strings: Strings,
  format: Intl.DateTimeFormat,
): TemplateResult {
  const m = shown.message;
  return html`<li
    part=${own ? 'message own-message' : 'message'}
    class=${own ? 'message own' : 'message'}
    data-seq=${m.seq}
    data-verified=${String(shown.verified)}
  >
    <div class="meta">
      <bdi class="name">${m.name}</bdi>${time(m.at, format)}${
        shown.verified === false
          ? html`<span class="unverified" title=${strings.unverifiedTitle}>${strings.unverified}</span>`
          : nothing
      }
    </div>
    <div class="text">${text(m.text)}</div>
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
): TemplateResult {
  return html`<li part="member">
    <bdi>${name}</bdi>${me ? html` (${strings.you})` : nothing}
    <code title=${strings.fingerprint}>${fingerprint ?? '…'}</code>
  </li>`;
}
