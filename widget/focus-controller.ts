/**
 * Where keyboard focus goes next, as a Lit ReactiveController: after "Create
 * a room" to the name field (or the message field when the name is known),
 * after "Join" to the message field, and back to the name field whenever a
 * name is refused, here or by the server (the field is drawn anew then, so
 * focus would otherwise fall to <body>). It moves focus only once the field
 * it wants is drawn, and never takes it from the page: only after the
 * user's own action, or a refusal while focus is in the widget.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };
export type FocusTarget = 'name' | 'input';

export class FocusController implements ReactiveController {
  readonly #host: Host;
  readonly #refused: () => boolean;
  #next: FocusTarget | undefined;
  #wasRefused = false;
  /** Focus was inside the widget just before this update (the field it was in may be gone after it). */
  #inside = false;

  /** `refused` tells whether the server has just refused the name (the name field is shown with the reason). */
  constructor(host: Host, refused: () => boolean) {
    this.#host = host;
    this.#refused = refused;
    host.addController(this);
  }

  /** Moves focus to `field` once it is drawn. */
  soon(field: FocusTarget): void {
    this.#next = field;
    this.#host.requestUpdate();
  }

  /** Moves focus to `field` now, if it is drawn. */
  now(field: FocusTarget): void {
    this.#host.renderRoot.querySelector<HTMLElement>(`#${field}`)?.focus();
  }

  hostUpdate(): void {
    const root = this.#host.renderRoot;
    this.#inside = root instanceof ShadowRoot && root.activeElement !== null;
  }

  hostUpdated(): void {
    const refused = this.#refused();
    // Only while the user is working in the widget: a refused `name` attribute at page load takes no focus.
    if (refused && !this.#wasRefused && this.#inside) this.#next = 'name';
    this.#wasRefused = refused;
    const field = this.#next && this.#host.renderRoot.querySelector<HTMLElement>(`#${this.#next}`);
    if (!field) return;
    this.#next = undefined;
    field.focus();
  }
}
