/**
 * Pure templates for the views before and after a conversation: no room yet
 * ("Create a room"), no usable name yet (the name field, with the server's
 * rules and, after a refusal, the reason), and a room that is gone (what
 * happened and "Start a new room"). User data only goes into text bindings.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { MAX_NAME_LENGTH } from './identity-keeper.js';
import { fill, type Strings } from './strings.js';

/** No room yet: create one (with a token, optionally for signed-in people only). */
export function noRoomTemplate(
  strings: Strings,
  signIn: { readonly offered: boolean; readonly checked: boolean; toggle(checked: boolean): void },
  create: () => void,
): TemplateResult {
  return html`<div class="empty main">
    <p>${strings.noRoom}</p>
    ${
      signIn.offered
        ? html`<label class="check"
            ><input
              type="checkbox"
              .checked=${signIn.checked}
              @change=${(e: Event) => signIn.toggle((e.target as HTMLInputElement).checked)}
            />
            ${strings.signInOnly}</label
          >`
        : nothing
    }
    <button type="button" @click=${create}>${strings.createRoom}</button>
  </div>`;
}

/** Asks for a name, with the server's rules; after a refusal (here or by the server), says so. */
export function nameFormTemplate(
  strings: Strings,
  refused: boolean,
  /** What the field starts with: the name the server just refused, for the user to change. */
  value: string,
  submit: (event: SubmitEvent) => void,
  edited: () => void,
): TemplateResult {
  return html`<form class="name empty main" @submit=${submit}>
    <div class="field">
      <label for="name">${strings.chooseName}</label>
      <input
        id="name"
        name="name"
        autocomplete="nickname"
        maxlength=${MAX_NAME_LENGTH}
        .value=${value}
        required
        aria-invalid=${refused ? 'true' : 'false'}
        aria-describedby=${refused ? 'name-error name-rules' : 'name-rules'}
        @input=${edited}
      />
      <span id="name-rules" class="hint">${fill(strings.nameRules, { max: MAX_NAME_LENGTH })}</span>
    </div>
    ${refused ? html`<p id="name-error" part="error" class="error" role="alert">${strings.errorNameInvalid}</p>` : nothing}
    <button type="submit">${strings.join}</button>
  </form>`;
}

/**
 * The room is gone: what happened (`reason`, whose id the disabled composer
 * points at), how many unsent messages went with it, and the one way forward.
 */
export function deadEndTemplate(
  strings: Strings,
  reason: string,
  dropped: number | undefined,
  startNew: () => void,
): TemplateResult {
  return html`<div part="dead-end" class="empty main dead-end">
    <p id="dead-end-reason" part="error" class="error" role="alert">${reason}</p>
    ${dropped ? html`<p>${fill(strings.droppedUnsent, { count: dropped })}</p>` : nothing}
    <button type="button" @click=${startNew}>${strings.startNewRoom}</button>
  </div>`;
}
