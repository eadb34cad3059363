/**
 * The <tiny-chat> element: it renders, and leaves the room model (identity,
 * connection, outbox, members, verification, room creation, tokens) to
 * RoomController. Importing this file defines nothing; tiny-chat.ts registers
 * the tag.
 *
 * @fires tiny-chat-message - a message arrived and was checked: `{ message, verified, own }`
 * @fires tiny-chat-join - a member joined: `{ name, key }`
 * @fires tiny-chat-leave - a member left: `{ name, key }`
 * @fires tiny-chat-error - something failed, in plain words: `{ code, message, temporary }`
 * @fires tiny-chat-ready - joined a room: `{ roomId, name, fingerprint }`
 * @fires tiny-chat-unread - the unread count changed: `{ count }`
 * @fires tiny-chat-token-needed - the server wants a (fresh) sign-in token: `{ code }`; set `token` to go on
 * @csspart base - the outer box
 * @csspart header - title and connection status
 * @csspart status - the connection status
 * @csspart share - the share-link row
 * @csspart messages - the message list (an aria-live log)
 * @csspart notice - a quiet line in the conversation: who joined or left, whose key changed
 * @csspart message - one message; own ones also have part `own-message`
 * @csspart members - the member list
 * @csspart member - one member
 * @csspart error - the last error, in plain words
 * @csspart checking - "Checking your browser…" with Cancel, while a server's proof of work is paid
 * @csspart dead-end - the view of a room that is gone: what happened, and "Start a new room"
 * @csspart typing - who is typing now ("Alice is typing…"); empty otherwise
 * @csspart composer - the message form
 * @csspart input - the message text area
 * @csspart counter - the character counter
 * @csspart send-button - the send button
 * @csspart retry-button - sends a message that was not sent again
 * @csspart dismiss-button - drops a message that was not sent
 * @csspart identity - the footer with the "Identity" disclosure: your name, key fingerprint and the new-identity button
 * @csspart room-menu - the "Room" disclosure in the footer: "Export transcript"
 * @csspart verified - the mark on a verified message (its tooltip gives the sender's key fingerprint)
 * @csspart members-toggle - the "3 people" button that folds the member list at narrow widths
 * @csspart new-messages - the "N new messages ↓" pill while reading older messages
 * @csspart welcome - an empty room's invitation, with the share link
 * @csspart moderate-button - "Remove" on a message, for the room's owner and moderators (moderation chunk)
 * @csspart tombstone - what is left of a removed message: "Message removed by …" (with part `message`)
 * @csspart confirm - the dialog that asks before a removal, a kick, a ban or the end of the room
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { ComposerController } from './composer-controller.js';
import { composerTemplate, typingTemplate } from './composer-templates.js';
import { conversationTemplate, isEmptyRoom } from './conversation-templates.js';
import { FocusController } from './focus-controller.js';
import { footerTemplate, saveTranscript } from './footer-view.js';
import { TimeFormats } from './grouping.js';
import type { ExportStrings } from './export/strings.js';
import type { ModerationStrings } from './moderation/strings.js';
import type { PowStrings } from './pow/strings.js';
import { RoomController } from './room-controller.js';
import type { ConnectionState } from './room-socket.js';
import { membersToggleTemplate, shareLinkTemplate, statusTemplate, welcomeTemplate } from './room-templates.js';
import { ScrollController } from './scroll-controller.js';
import { deadEndTemplate, nameFormTemplate, noRoomTemplate } from './setup-templates.js';
import { DEFAULT_STRINGS, type Strings } from './strings.js';
import type { GetToken } from './token.js';
import { properties } from './tiny-chat.properties.js';
import formStyles from './form.styles.js';
import messageStyles from './message.styles.js';
import roomStyles from './room.styles.js';
import styles from './tiny-chat.styles.js';

export class TinyChatElement extends LitElement {
  static override styles = [styles, formStyles, messageStyles, roomStyles];

  // The attributes and reactive state (tiny-chat.properties.ts); the fields below document them.
  static override properties = properties;

  /** Base URL of the tiny-chat server; defaults to the origin that served the script. */
  server: string | undefined;
  /** Room id; when absent, read from the page URL's `room-param` query parameter, else the element offers to create one. */
  room: string | undefined;
  /** The wished name; defaults to the one stored with the identity, else the element asks. */
  name: string | undefined;
  /** `light` or `dark` forces a theme; absent or `auto` follows `prefers-color-scheme`. */
  theme: 'light' | 'dark' | 'auto' | undefined;
  /** Query parameter of the page URL that holds the room id, for share links; empty to turn off. */
  roomParam = 'room';
  /** Which stored identity to use; give widgets on one page different profiles to be different people. */
  profile = 'default';
  /** Overrides for any of the UI strings (see DEFAULT_STRINGS, and the chunks' EXPORT_STRINGS, POW_STRINGS and MODERATION_STRINGS). */
  strings: Partial<Strings & ExportStrings & PowStrings & ModerationStrings> = {};
  /** A sign-in access token for creating and joining rooms (a property only, never an attribute). */
  token: string | undefined;
  /** Called before every create and join for a token; called again with the refused code when one is refused. Wins over `token`. */
  getToken: GetToken | undefined;
  /** Neither say when you type nor show when others do. */
  noTyping = false;
  /** Prefix the page title with "(N) " while N messages are unread. */
  titleBadge = false;
  /** Play a short tone when a message arrives unread (only after the user has interacted with the page). */
  sound = false;

  /** The name typed into the field breaks the server's rules. */
  protected nameError = false;
  protected copied = false;
  /** The create form's choice: a room only signed-in people may join. */
  protected signInOnly = true;
  /** At narrow widths, whether the member list is unfolded. */
  protected membersOpen = false;
  /** What the export chunk showed after saving a transcript (lazy.ts). */
  protected exported: unknown = nothing;

  readonly #model = new RoomController(this);
  /** Where the reader is; it tells the unread count whether the newest message is in view. */
  readonly #scroll = new ScrollController(this, (atBottom) => (this.#model.unread.atBottom = atBottom));
  readonly #formats = new TimeFormats();
  /** Your own message always comes into view. */
  readonly #composer = new ComposerController(this, this.#model, () => this.#scroll.toBottom());
  readonly #focus = new FocusController(this, () => this.#model.self.refused);

  /** The merged UI strings. */
  get text(): Strings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  /** The connection state: `setup`, `connecting`, `online`, `offline` or `closed`. */
  get connectionState(): ConnectionState | 'setup' {
    return this.#model.state;
  }

  /** Messages from others that arrived while the tab was hidden or the list was scrolled up. */
  get unread(): number {
    return this.#model.unread.count;
  }

  /** The name the server assigned in this room, once joined. */
  get assignedName(): string | undefined {
    return this.#model.myName;
  }

  /** Queues a message for sending; returns its client message id, or undefined if it cannot be sent. */
  sendMessage(text: string): string | undefined {
    return this.#model.send(text);
  }

  /**
   * Sends a message that was not sent again (the same id while the server can
   * still take its first stamp, else a new one); returns the id it goes out with.
   */
  retryMessage(id: string): string | undefined {
    return this.#model.retry(id);
  }

  /** Drops a message that was not sent, from the outbox and its stored copy. */
  dismissMessage(id: string): boolean {
    return this.#model.dismiss(id);
  }

  /** Throws away the stored key and name and starts again as someone new. */
  newIdentity(): Promise<void> {
    return this.#model.newIdentity();
  }

  override connectedCallback(): void {
    if (!this.room && this.roomParam) {
      const fromPage = new URLSearchParams(location.search).get(this.roomParam);
      if (fromPage && /^[A-Za-z0-9_-]{22}$/.test(fromPage)) this.room = fromPage;
    }
    super.connectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const freshToken = changed.has('token') && this.#model.signInBlocked && !!this.token;
    if (
      this.#model.runningRoom !== undefined &&
      (freshToken ||
        (changed.has('room') && this.room !== this.#model.runningRoom) ||
        changed.has('server') ||
        (changed.has('name') && changed.get('name') !== undefined))
    )
      this.#model.restart();
  }

  /**
   * A member list on show must stay live, and a big room's list is live by
   * name only once the socket follows it (members.ts): so it follows as soon
   * as the list shows (wide, or unfolded), and never while it is folded away.
   */
  protected override updated(): void {
    const list = this.renderRoot.querySelector('#members');
    if (list?.checkVisibility() && !this.#model.members.following) this.#model.moreMembers();
  }

  private copyLink(): void {
    const copied = (): void => {
      this.copied = true;
      setTimeout(() => (this.copied = false), 2000);
    };
    // Clipboard refused (no permission): the link stays selectable.
    navigator.clipboard.writeText(this.#model.shareUrl).then(copied, () => undefined);
  }

  private onNameSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = input.value.trim();
    if (!name) return;
    void this.#model.chooseName(name).then((ok) => {
      this.nameError = !ok;
      if (ok) this.#focus.soon('input');
      else input.focus();
    });
  }

  async #createRoom(): Promise<void> {
    await this.#model.createRoom(this.signInOnly);
    if (this.room) this.#focus.soon(this.#model.joinName ? 'input' : 'name');
  }

  private readonly toggleMembers = (): boolean => (this.membersOpen = !this.membersOpen);
  private readonly edited = (): boolean => (this.nameError = false);

  override render(): unknown {
    const t = this.text;
    const model = this.#model;
    const inRoom = !!this.room && !!model.joinName;
    const empty = isEmptyRoom(model.timeline, model.myName, model.outgoing);
    return html`<section part="base" class="base" aria-label=${t.title}>
      <header part="header">
        <h2>${t.title}</h2>
        ${statusTemplate(model.state, t)}
        ${
          inRoom && !model.dead
            ? membersToggleTemplate(model.members.count, this.membersOpen, t, this.toggleMembers)
            : nothing
        }
      </header>
      ${this.room && !model.dead && !empty ? this.renderShare(t) : nothing} ${this.renderBody(t, empty)}
      ${model.work?.view()}
      ${model.errorText && !model.dead ? html`<p part="error" class="error" role="alert">${model.errorText}</p>` : nothing}
      ${inRoom && !model.dead ? typingTemplate(model.typing, t) : nothing}
      ${inRoom ? composerTemplate(this.#composer.view(t), t) : nothing}
      ${footerTemplate(model, t, this.exported, this.#export, () => void this.newIdentity())} ${model.mod?.dialog(t)}
    </section>`;
  }

  private renderShare(t: Strings): ReturnType<typeof shareLinkTemplate> {
    return shareLinkTemplate(this.#model.shareUrl, this.room ?? '', this.copied, t, () => this.copyLink());
  }

  private renderBody(t: Strings, empty: boolean): unknown {
    const model = this.#model;
    if (!this.room) {
      const signIn = {
        offered: model.hasTokenSource,
        checked: this.signInOnly,
        toggle: (checked: boolean) => (this.signInOnly = checked),
      };
      return noRoomTemplate(t, signIn, () => void this.#createRoom());
    }
    if (model.dead) {
      // Removed or banned, or locked out: the moderation chunk says what happened and what can be done.
      return (
        model.ended?.endedTemplate(model, this, t) ??
        deadEndTemplate(t, model.deadReason(t), model.dead.dropped, () => void this.#createRoom())
      );
    }
    const refused = this.nameError || model.nameProblem;
    if (!model.joinName)
      return nameFormTemplate(t, refused, model.self.lastRefused ?? '', this.onNameSubmit, this.edited);
    const scroll = this.#scroll;
    return conversationTemplate(
      {
        me: model.myName,
        // Before the first join (the server unreachable), the outbox shows under the wished name.
        wished: model.joinName,
        timeline: model.timeline,
        outgoing: model.outgoing,
        members: model.members,
        membersOpen: this.membersOpen,
        formats: this.#formats,
        welcome: empty ? welcomeTemplate(this.renderShare(t), t) : nothing,
        newCount: scroll.newCount,
        outbox: this.outboxActions,
        mod: model.mod,
        loadEarlier: () => model.loadEarlier(),
        moreMembers: () => model.moreMembers(),
        scrolled: scroll.onScroll,
        toBottom: () => scroll.toBottom(),
      },
      t,
    );
  }

  /** After retry or dismiss the button is gone, so keyboard focus goes back to the message input. */
  private readonly outboxActions = {
    retry: (id: string): void => {
      this.retryMessage(id);
      this.#focus.now('input');
    },
    dismiss: (id: string): void => {
      this.dismissMessage(id);
      this.#focus.now('input');
    },
  };

  /** Saves the room's transcript (footer-view.ts); keeps what the export showed. */
  readonly #export = (): void =>
    void saveTranscript(this.#model, this.room, this.text)?.then((view) => (this.exported = view));
}
