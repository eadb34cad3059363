/**
 * The message form's state, as a Lit ReactiveController: the draft, what
 * Enter and the send button do, and telling the room that the user types.
 * It sends only through the room model (which checks the text against the
 * server's rules) and never keeps a draft the model refused to queue.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { codePointLength } from '../protocol/text.js';
import type { ComposerView } from './composer-templates.js';
import type { RoomController } from './room-controller.js';
import type { Strings } from './strings.js';

export class ComposerController implements ReactiveController {
  draft = '';
  readonly #host: ReactiveControllerHost;
  readonly #room: RoomController;
  readonly #sent: () => void;

  /** `sent` runs after a message was queued (the view brings your own message into view). */
  constructor(host: ReactiveControllerHost, room: RoomController, sent: () => void) {
    this.#host = host;
    this.#room = room;
    this.#sent = sent;
    host.addController(this);
  }

  hostConnected(): void {}

  /** What the composer template shows; disabled for good, with the reason, when the room is gone. */
  view(strings: Strings): ComposerView {
    const room = this.#room;
    const dead = room.dead;
    return {
      draft: this.draft,
      length: codePointLength(this.draft),
      limit: room.maxText,
      canSend: room.canSend(this.draft),
      disabled: dead ? { reason: room.deadReason(strings), describedBy: 'dead-end-reason' } : undefined,
      submit: this.#submit,
      input: this.#input,
      keydown: this.#keydown,
    };
  }

  readonly #submit = (event: Event): void => {
    event.preventDefault();
    if (this.#room.send(this.draft) === undefined) return;
    this.draft = '';
    this.#host.requestUpdate();
    this.#sent();
  };

  readonly #input = (event: InputEvent): void => {
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.#host.requestUpdate();
    this.#room.typed(this.draft);
  };

  readonly #keydown = (event: KeyboardEvent): void => {
    // Enter sends, Shift+Enter is a new line; composing (IME) Enter is left alone.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) this.#submit(event);
  };
}
