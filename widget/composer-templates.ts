/**
 * Pure templates for the bottom of a conversation: who is typing, and the
 * message form with its counter. The typing line is always there (empty when
 * nobody types), so a change is announced and the layout never shifts. A
 * composer that cannot send for good (a room that is gone) is disabled and
 * says why, in its placeholder and through `aria-describedby`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from './strings.js';

/** "Alice is typing…" or "3 people are typing…"; an empty live region otherwise. */
export function typingTemplate(names: readonly string[], strings: Strings): TemplateResult {
  const [before, after] = strings.typingOne.split('{name}');
  const words =
    names.length === 1
      ? html`${before}<bdi>${names[0]}</bdi>${after ?? ''}`
      : names.length > 1
        ? strings.typingMany.replace('{count}', String(names.length))
        : '';
  return html`<p part="typing" class="typing" aria-live="polite">${words}</p>`;
}

export interface ComposerView {
  readonly draft: string;
  /** Code points in the draft, and the most the server takes. */
  readonly length: number;
  readonly limit: number;
  readonly canSend: boolean;
  /** Why the composer is disabled for good, when it is (and the id of the element saying so). */
  readonly disabled?: { readonly reason: string; readonly describedBy: string };
  submit(event: Event): void;
  input(event: InputEvent): void;
  keydown(event: KeyboardEvent): void;
}

export function composerTemplate(view: ComposerView, strings: Strings): TemplateResult {
  const { disabled, length, limit } = view;
  return html`<form part="composer" class=${disabled ? 'composer disabled' : 'composer'} @submit=${view.submit}>
    <div class="field">
      <label for="input">${strings.messageLabel}</label>
      <textarea
        id="input"
        part="input"
        rows="1"
        placeholder=${disabled ? disabled.reason : strings.messagePlaceholder}
        aria-describedby=${disabled ? disabled.describedBy : 'counter'}
        ?disabled=${!!disabled}
        .value=${view.draft}
        @input=${view.input}
        @keydown=${view.keydown}
      ></textarea>
    </div>
    ${
      disabled
        ? nothing
        : html`<span id="counter" part="counter" class=${length > limit ? 'counter over' : 'counter'}
            >${length}/${limit}</span
          >`
    }
    <button part="send-button" type="submit" ?disabled=${!view.canSend}>${strings.send}</button>
  </form>`;
}
