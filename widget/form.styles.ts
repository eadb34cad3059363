/**
 * Styles of the forms: the message composer (with the typing line above it
 * and its disabled look when the room is gone), the name form, and their
 * fields. Comes after tiny-chat.styles.ts. Same rules: every colour reads a
 * public --tiny-chat-* property first, and no size is in rem.
 */
import { css } from 'lit';

export default css`
  form {
    display: flex;
    gap: 8px;
    align-items: flex-end;
    padding: 8px 12px;
    border-top: 1px solid var(--tiny-chat-border, var(--_border));
  }
  form.name {
    border-top: 0;
  }
  .field {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-width: 0;
    gap: 3px;
  }
  label {
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  .hint {
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
  }
  /* In the name form and the dead end, the reason lines up with the field and the button. */
  .empty .error {
    padding: 0;
  }
  textarea,
  input {
    font: inherit;
    color: inherit;
    width: 100%;
    min-width: 0;
    background: var(--tiny-chat-bg, var(--_bg));
    border: 1px solid var(--tiny-chat-border, var(--_border));
    border-radius: calc(var(--tiny-chat-radius, 8px) / 2);
    padding: 5px 8px;
  }
  textarea {
    resize: none;
    min-height: 38px;
  }
  input[type='checkbox'] {
    width: auto;
  }
  .counter {
    font-size: 0.8em;
    color: var(--tiny-chat-muted, var(--_muted));
    white-space: nowrap;
  }
  .counter.over {
    color: var(--tiny-chat-danger, var(--_danger));
    font-weight: 600;
  }
  /*
   * Who is typing: one quiet line whose height is always kept (empty when
   * nobody types), so the messages never jump when someone starts or stops.
   */
  .typing {
    flex: none;
    margin: 0;
    padding: 0 12px;
    height: 1.6em;
    line-height: 1.6em;
    font-size: 0.8em;
    font-style: italic;
    color: var(--tiny-chat-muted, var(--_muted));
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .typing bdi {
    font-weight: 600;
    font-style: normal;
  }
  /*
   * A room that is gone: the composer is plainly off, and its placeholder says
   * why. The reason may take two lines at phone widths: the field grows to show
   * it whole where the browser can size a field to its placeholder.
   */
  form.disabled textarea {
    field-sizing: content;
    background: var(--tiny-chat-other-bg, var(--_other-bg));
    border-style: dashed;
    cursor: not-allowed;
  }
  form.disabled textarea::placeholder {
    color: var(--tiny-chat-muted, var(--_muted));
    opacity: 1;
  }
`;
