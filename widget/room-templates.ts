/**
 * Pure templates for the room around the messages: the connection status,
 * the share link, the member list's narrow-width toggle, the empty room's welcome, the
 * new-messages pill and the identity disclosure. User data only goes into
 * text bindings; the share link is the page's own URL.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { ConnectionState } from './room-socket.js';
import { fill, type Strings } from './strings.js';

function statusWords(state: ConnectionState, strings: Strings): string {
  switch (state) {
    case 'online':
      return strings.statusOnline;
    case 'offline':
      // Not dialling while the browser has no network, so not "reconnecting".
      return navigator.onLine ? strings.statusOffline : strings.statusNoNetwork;
    case 'closed':
      return strings.statusClosed;
    default:
      return strings.statusConnecting;
  }
}

/** The connection status in the header; none before there is a room and a name. */
export function statusTemplate(state: ConnectionState | 'setup', strings: Strings): TemplateResult | typeof nothing {
  if (state === 'setup') return nothing;
  return html`<span part="status" class="status ${state}" role="status">${statusWords(state, strings)}</span>`;
}

/** Two sheets, one over the other: "copy". At narrow widths the button shows only this (its text stays for screen readers). */
const COPY_ICON = html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
  <rect x="5.5" y="5.5" width="8" height="9" rx="1.5" />
  <path d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v8a1 1 0 0 0 1 1h1" />
</svg>`;
const CHECK_ICON = html`<svg class="icon" viewBox="0 0 16 16" aria-hidden="true">
  <path d="M2.5 8.5l3.5 3.5 7.5-8" />
</svg>`;

/**
 * The share link as a real link whose room id always shows: the start of the
 * URL gives way (with an ellipsis) before the id does.
 */
export function shareLinkTemplate(
  url: string,
  roomId: string,
  copied: boolean,
  strings: Strings,
  copy: () => void,
): TemplateResult {
  const at = url.lastIndexOf(roomId);
  const [start, end] = at < 0 ? [url, ''] : [url.slice(0, at), url.slice(at + roomId.length)];
  return html`<div part="share" class="share">
    <span class="label" id="share-label">${strings.shareLink}</span>
    <a id="share" class="link" href=${url} target="_blank" rel="noopener" aria-describedby="share-label"
      ><span class="base-url">${start}</span><span class="room-id">${at < 0 ? '' : roomId}</span><span>${end}</span></a
    >
    <button type="button" class="quiet copy" title=${copied ? strings.copied : strings.copy} @click=${copy}>
      ${copied ? CHECK_ICON : COPY_ICON}<span class="copy-text">${copied ? strings.copied : strings.copy}</span>
    </button>
  </div>`;
}

export function peopleLabel(count: number, strings: Strings): string {
  return count === 1 ? strings.person : fill(strings.people, { count });
}

/** The toggle that folds the member list at narrow widths (hidden by CSS when wide). */
export function membersToggleTemplate(
  count: number,
  open: boolean,
  strings: Strings,
  toggle: () => void,
): TemplateResult {
  return html`<button
    type="button"
    part="members-toggle"
    class="quiet members-toggle"
    aria-expanded=${open ? 'true' : 'false'}
    aria-controls="members"
    @click=${toggle}
  >
    ${peopleLabel(count, strings)}
  </button>`;
}

/** An empty room: an invitation to write first, and the share link where it cannot be missed. */
export function welcomeTemplate(share: TemplateResult, strings: Strings): TemplateResult {
  return html`<div part="welcome" class="welcome">
    <p class="hello">${strings.emptyRoom}</p>
    ${share}
  </div>`;
}

export function pillTemplate(count: number, strings: Strings, go: () => void): TemplateResult | typeof nothing {
  if (count === 0) return nothing;
  const label = count === 1 ? strings.newMessage : fill(strings.newMessages, { count });
  return html`<button type="button" part="new-messages" class="pill" @click=${go}>${label}</button>`;
}

/**
 * The room menu, folded like the identity: "Export transcript", then what
 * the export chunk shows once it saved the file (lazy.ts), then, for the
 * owner and moderators, the moderation chunk's room tools.
 */
export function roomMenuTemplate(
  strings: Strings,
  exported: unknown,
  exportTranscript: () => void,
  staffTools: unknown,
): TemplateResult {
  return html`<details part="room-menu" class="room-menu">
    <summary>${strings.roomMenu}</summary>
    <div class="identity">
      <button type="button" class="quiet" @click=${exportTranscript}>${strings.exportTranscript}</button>
      ${exported} ${staffTools}
    </div>
  </details>`;
}

/** Name, key fingerprint and "New identity", folded into a small disclosure out of a casual user's way. */
export function identityTemplate(
  name: string,
  fingerprint: string | undefined,
  strings: Strings,
  renew: () => void,
  menu: unknown,
): TemplateResult {
  return html`<footer part="identity">
    ${menu}
    <details>
      <summary>${strings.identity}</summary>
      <div class="identity">
        <span><bdi>${name}</bdi></span>
        <span>${strings.fingerprint}: <code>${fingerprint ?? '…'}</code></span>
        <button type="button" class="quiet" @click=${renew}>${strings.newIdentity}</button>
      </div>
    </details>
  </footer>`;
}
