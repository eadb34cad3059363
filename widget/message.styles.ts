/**
 * Styles of the conversation inside the message list: message bubbles and
 * their groups, names, times, trust marks, text, the actions on a message not
 * sent, join/leave notices and day separators. Same rule as tiny-chat.styles.ts: every colour
 * reads a public --tiny-chat-* property first, and no size is in rem.
 */
import { css } from 'lit';

export default css`
  .message {
    margin: 8px 0 0;
    padding: 5px 10px;
    border-radius: var(--tiny-chat-radius, 8px);
    background: var(--tiny-chat-other-bg, var(--_other-bg));
    max-width: 85%;
    width: fit-content;
    min-width: 0;
  }
  .message.cont {
    margin-top: 2px;
  }
  .message.own {
    margin-inline-start: auto;
    background: var(--tiny-chat-own-bg, var(--_own-bg));
  }
  .meta {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    column-gap: 8px;
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  .meta .name {
    font-weight: 600;
    color: var(--tiny-chat-fg, var(--_fg));
    overflow-wrap: break-word;
    min-width: 0;
  }
  time {
    white-space: nowrap;
  }
  .verified {
    color: var(--tiny-chat-ok, var(--_ok));
    cursor: help;
  }
  .line {
    display: flex;
    align-items: baseline;
    gap: 8px;
  }
  .line .text {
    min-width: 0;
  }
  .line > .verified,
  .line > .unverified,
  .line > .gone {
    font-size: 0.8em;
    white-space: nowrap;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: break-word;
  }
  .text a {
    color: var(--tiny-chat-accent, var(--_accent));
    overflow-wrap: anywhere;
  }
  .unverified,
  .gone,
  .failed,
  .error {
    color: var(--tiny-chat-danger, var(--_danger));
  }
  /* Shown before the room's history changed, and no longer in it: kept, struck through. */
  .message.gone .text {
    text-decoration: line-through;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 5px;
  }
  .actions button {
    padding: 2px 10px;
  }
  /* Who joined or left, whose key changed: a quiet line between messages, never a bubble. */
  .notice {
    margin: 8px auto 0;
    padding: 1px 10px;
    width: fit-content;
    max-width: 100%;
    text-align: center;
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
    overflow-wrap: break-word;
  }
  .gap,
  .day {
    text-align: center;
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  .day {
    display: flex;
    align-items: center;
    gap: 8px;
    margin: 12px 0 4px;
  }
  .day::before,
  .day::after {
    content: '';
    flex: 1;
    border-top: 1px solid var(--tiny-chat-border, var(--_border));
  }
`;
