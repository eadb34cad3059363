/**
 * Styles of the room around the messages: the empty room's welcome, the
 * new-messages pill, the member list and its toggle, and the narrow layout
 * (a container query on the widget's own width, never the viewport's). Comes
 * after tiny-chat.styles.ts, whose rules it refines. Every colour reads a
 * public --tiny-chat-* property first, and no size is in rem.
 */
import { css } from 'lit';

export default css`
  .welcome {
    margin: auto;
    padding: 16px 4px;
    text-align: center;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 10px;
  }
  .welcome p {
    margin: 0;
  }
  .welcome .hello {
    font-size: 1.15em;
    font-weight: 600;
  }
  .welcome .invite {
    color: var(--tiny-chat-muted, var(--_muted));
  }
  .welcome .share {
    border: 1px solid var(--tiny-chat-border, var(--_border));
    border-radius: var(--tiny-chat-radius, 8px);
    width: 100%;
    max-width: 30em;
    font-size: 1em;
  }
  .pill {
    position: absolute;
    bottom: 10px;
    left: 50%;
    transform: translateX(-50%);
    border-radius: 999px;
    box-shadow: 0 2px 8px rgb(0 0 0 / 25%);
    white-space: nowrap;
    font-size: 0.85em;
  }
  .members {
    width: 176px;
    flex: none;
    overflow-y: auto;
    padding: 8px 12px;
    border-inline-start: 1px solid var(--tiny-chat-border, var(--_border));
    font-size: 0.85em;
  }
  .members h3 {
    font-size: 1em;
    margin: 0 0 4px;
  }
  .members ul {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  .members li {
    margin-bottom: 6px;
    overflow-wrap: break-word;
  }
  .members .more {
    font-size: 1em;
  }
  .members-toggle {
    display: none;
    font-size: 0.85em;
    padding: 2px 10px;
  }
  button.pill {
    background: var(--tiny-chat-accent, var(--_accent));
    color: var(--tiny-chat-accent-fg, var(--_accent-fg));
  }
  .copy {
    display: inline-flex;
    align-items: center;
    gap: 5px;
  }
  .icon {
    width: 1.1em;
    height: 1.1em;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 1.4;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  /*
   * Very narrow (a small phone): "Copy link" shrinks to its icon (its words stay for
   * screen readers and as a tooltip), so the room id and the button share one line.
   */
  @container (max-width: 379.98px) {
    .share .copy {
      padding-inline: 7px;
    }
    .share .copy-text {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  }
  /* Narrow (a phone, a sidebar): the member list folds into a toggle above the messages. */
  @container (max-width: 479.98px) {
    .members-toggle {
      display: inline-block;
    }
    .main {
      flex-direction: column;
    }
    .members {
      display: none;
      width: auto;
      max-height: 45%;
      border-inline-start: 0;
      border-bottom: 1px solid var(--tiny-chat-border, var(--_border));
      order: -1;
    }
    .members.open {
      display: block;
    }
    .members h3 {
      display: none;
    }
    .message {
      max-width: 92%;
    }
    form {
      gap: 6px;
      padding-inline: 8px;
    }
    .messages {
      padding-inline: 8px;
    }
    header,
    .share {
      padding-inline: 8px;
    }
    /* The row's label stays for screen readers (the link is described by it); the welcome shows it. */
    .share:not(.welcome .share) .label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
  }
`;
