/**
 * The element's styles. Every colour and size reads a public
 * `--tiny-chat-*` custom property first; the private `--_*` properties hold
 * the light or dark fallback, so a host's value always wins.
 *
 * The host page must not reach in except through those properties: `:host`
 * resets everything that inherits (`all: initial`), `.base` sets font, colour
 * and line-height again, every box sets its own box-sizing, and no size is in
 * `rem` (the host page owns the root font size). The layout follows the
 * widget's own width (container queries on `:host`), never the viewport's.
 */
import { css } from 'lit';

/** The dark palette, used both by prefers-color-scheme and by theme="dark". */
const dark = css`
  --_bg: #16191d;
  --_fg: #e6e8eb;
  --_muted: #a3adb8;
  --_border: #3a4149;
  --_accent: #7cacf8;
  --_accent-fg: #0b1220;
  --_own-bg: #1f3352;
  --_other-bg: #22272d;
  --_danger: #ff8a80;
  --_ok: #6fdc8c;
  color-scheme: dark;
`;

export default css`
  :host {
    all: initial;
    --_bg: #ffffff;
    --_fg: #1b1f24;
    --_muted: #5b6570;
    --_border: #d5dbe1;
    --_accent: #0b5cd5;
    --_accent-fg: #ffffff;
    --_own-bg: #e7f0ff;
    --_other-bg: #f3f5f7;
    --_danger: #b3261e;
    --_ok: #1a7f37;
    display: block;
    height: var(--tiny-chat-height, 448px);
    container-type: inline-size;
    color-scheme: light;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([theme='light'])) {
      ${dark}
    }
  }
  :host([theme='dark']) {
    ${dark}
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .base {
    display: flex;
    flex-direction: column;
    height: 100%;
    overflow: hidden;
    font: var(--tiny-chat-font, 15px/1.4 system-ui, sans-serif);
    color: var(--tiny-chat-fg, var(--_fg));
    background: var(--tiny-chat-bg, var(--_bg));
    border: 1px solid var(--tiny-chat-border, var(--_border));
    border-radius: var(--tiny-chat-radius, 8px);
    text-align: start;
    -webkit-text-size-adjust: 100%;
    text-size-adjust: 100%;
  }
  .vh {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  header,
  footer,
  .share {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    border-bottom: 1px solid var(--tiny-chat-border, var(--_border));
  }
  header {
    flex-wrap: wrap;
  }
  h2 {
    font-size: 1em;
    margin: 0;
    flex: 1;
  }
  .status::before {
    content: '';
    display: inline-block;
    width: 0.6em;
    height: 0.6em;
    margin-inline-end: 0.35em;
    border-radius: 50%;
    background: var(--tiny-chat-muted, var(--_muted));
  }
  .status.online::before {
    background: var(--tiny-chat-ok, var(--_ok));
  }
  .status.offline::before,
  .status.closed::before {
    background: var(--tiny-chat-danger, var(--_danger));
  }
  .status {
    font-size: 0.85em;
    color: var(--tiny-chat-muted, var(--_muted));
    white-space: nowrap;
  }
  .share {
    flex-wrap: wrap;
    font-size: 0.85em;
  }
  .share label,
  .share .label {
    color: var(--tiny-chat-muted, var(--_muted));
  }
  /* The start of the URL gives way (down to 2em, with an ellipsis) before the room id does. */
  .link {
    display: inline-grid;
    grid-template-columns: minmax(2em, max-content) max-content auto;
    /* Sized from its least (2em and the id), so it shares a line with the copy button before it wraps. */
    flex: 1 1 0;
    min-width: min-content;
    color: var(--tiny-chat-accent, var(--_accent));
    white-space: nowrap;
  }
  .link .base-url {
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .link .room-id {
    flex: none;
    font-weight: 600;
  }
  .main {
    display: flex;
    flex: 1;
    min-height: 0;
  }
  /* The messages and, over their bottom edge, the new-messages pill. */
  .feed {
    position: relative;
    display: flex;
    flex: 1;
    min-width: 0;
    min-height: 0;
  }
  .messages {
    flex: 1;
    min-width: 0;
    overflow-y: auto;
    overflow-x: hidden;
    /* ScrollController keeps the reading place itself; the browser's own anchoring would move it twice. */
    overflow-anchor: none;
    padding: 8px 12px;
  }
  .earlier {
    display: block;
    margin: 0 auto 8px;
  }
  .messages ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .messages:focus-visible,
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  summary:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--tiny-chat-accent, var(--_accent));
    outline-offset: 2px;
  }
  code {
    font-size: 0.85em;
    color: var(--tiny-chat-muted, var(--_muted));
    display: block;
  }
  footer {
    border-bottom: 0;
    border-top: 1px solid var(--tiny-chat-border, var(--_border));
    font-size: 0.85em;
    color: var(--tiny-chat-muted, var(--_muted));
    padding-block: 4px;
  }
  footer details {
    flex: 1;
    min-width: 0;
  }
  /* The two disclosures share a line while folded; an unfolded room menu takes the whole line. */
  footer {
    flex-wrap: wrap;
  }
  footer .room-menu {
    flex: none;
    max-width: 100%;
  }
  footer .room-menu[open] {
    flex-basis: 100%;
  }
  footer summary {
    cursor: pointer;
    width: fit-content;
  }
  .identity {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 12px;
    padding-top: 6px;
  }
  .identity code {
    display: inline;
    white-space: nowrap;
  }
  .error {
    margin: 0;
    padding: 4px 12px;
  }
  button {
    font: inherit;
    cursor: pointer;
    border: 1px solid var(--tiny-chat-accent, var(--_accent));
    background: var(--tiny-chat-accent, var(--_accent));
    color: var(--tiny-chat-accent-fg, var(--_accent-fg));
    border-radius: calc(var(--tiny-chat-radius, 8px) / 2);
    padding: 5px 13px;
    white-space: nowrap;
    flex: none;
  }
  button.quiet {
    background: transparent;
    color: var(--tiny-chat-accent, var(--_accent));
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .empty {
    padding: 16px 12px;
    display: flex;
    flex-direction: column;
    gap: 12px;
    align-items: flex-start;
  }
  .empty .field {
    flex: none;
    width: 100%;
    max-width: 20em;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 6px;
  }
`;
