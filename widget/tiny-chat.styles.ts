/**
 * The element's styles. Every colour and size reads a public
 * `--tiny-chat-*` custom property first; the private `--_*` properties hold
 * the light or dark fallback, so a host's value always wins.
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
    box-sizing: border-box;
    height: var(--tiny-chat-height, 28rem);
    color: var(--tiny-chat-fg, var(--_fg));
    background: var(--tiny-chat-bg, var(--_bg));
    border: 1px solid var(--tiny-chat-border, var(--_border));
    border-radius: var(--tiny-chat-radius, 0.5rem);
    font: var(--tiny-chat-font, 0.95rem/1.4 system-ui, sans-serif);
    color-scheme: light;
    overflow: hidden;
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
    box-sizing: inherit;
  }
  .base {
    display: flex;
    flex-direction: column;
    height: 100%;
  }
  header,
  footer,
  .share {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border-bottom: 1px solid var(--tiny-chat-border, var(--_border));
  }
  footer {
    border-bottom: 0;
    border-top: 1px solid var(--tiny-chat-border, var(--_border));
    font-size: 0.85em;
    color: var(--tiny-chat-muted, var(--_muted));
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
  }
  .share input {
    flex: 1;
    min-width: 0;
  }
  .main {
    display: flex;
    flex: 1;
    min-height: 0;
  }
  .messages {
    flex: 1;
    overflow-y: auto;
    padding: 0.5rem 0.75rem;
  }
  .earlier {
    display: block;
    margin: 0 auto 0.5rem;
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
  a:focus-visible {
    outline: 2px solid var(--tiny-chat-accent, var(--_accent));
    outline-offset: 2px;
  }
  .message {
    margin: 0.25rem 0;
    padding: 0.35rem 0.6rem;
    border-radius: var(--tiny-chat-radius, 0.5rem);
    background: var(--tiny-chat-other-bg, var(--_other-bg));
    max-width: 85%;
    width: fit-content;
  }
  .message.own {
    margin-inline-start: auto;
    background: var(--tiny-chat-own-bg, var(--_own-bg));
  }
  .meta {
    display: flex;
    gap: 0.5rem;
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  .meta .name {
    font-weight: 600;
    color: var(--tiny-chat-fg, var(--_fg));
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .text a {
    color: var(--tiny-chat-accent, var(--_accent));
  }
  .unverified,
  .failed,
  .error {
    color: var(--tiny-chat-danger, var(--_danger));
  }
  .actions {
    display: flex;
    gap: 0.4rem;
    margin-top: 0.3rem;
  }
  .actions button {
    padding: 0.15rem 0.6rem;
  }
  .gap {
    text-align: center;
    font-size: 0.85em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  .members {
    width: 11rem;
    overflow-y: auto;
    padding: 0.5rem 0.75rem;
    border-inline-start: 1px solid var(--tiny-chat-border, var(--_border));
    font-size: 0.85em;
  }
  .members h3 {
    font-size: 1em;
    margin: 0 0 0.25rem;
  }
  .members ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .members li {
    margin-bottom: 0.35rem;
  }
  code {
    font-size: 0.85em;
    color: var(--tiny-chat-muted, var(--_muted));
    display: block;
  }
  footer code {
    display: inline;
  }
  .error {
    margin: 0;
    padding: 0.25rem 0.75rem;
  }
  form {
    display: flex;
    gap: 0.5rem;
    align-items: flex-end;
    padding: 0.5rem 0.75rem;
    border-top: 1px solid var(--tiny-chat-border, var(--_border));
  }
  form.name {
    border-top: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    flex: 1;
    gap: 0.2rem;
  }
  label {
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  textarea,
  input {
    font: inherit;
    color: inherit;
    background: var(--tiny-chat-bg, var(--_bg));
    border: 1px solid var(--tiny-chat-border, var(--_border));
    border-radius: calc(var(--tiny-chat-radius, 0.5rem) / 2);
    padding: 0.35rem 0.5rem;
  }
  textarea {
    resize: none;
    min-height: 2.4rem;
  }
  .counter {
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  .counter.over {
    color: var(--tiny-chat-danger, var(--_danger));
    font-weight: 600;
  }
  button {
    font: inherit;
    cursor: pointer;
    border: 1px solid var(--tiny-chat-accent, var(--_accent));
    background: var(--tiny-chat-accent, var(--_accent));
    color: var(--tiny-chat-accent-fg, var(--_accent-fg));
    border-radius: calc(var(--tiny-chat-radius, 0.5rem) / 2);
    padding: 0.35rem 0.8rem;
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
    padding: 1rem 0.75rem;
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    align-items: flex-start;
  }
  .empty .field {
    flex: none;
  }
  .check {
    display: flex;
    align-items: center;
    gap: 0.4rem;
  }
`;
