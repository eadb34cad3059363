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
 * @csspart dead-end - the view of a room that is gone: what happened, and "Start a new room"
 * @csspart typing - who is typing now ("Alice is typing…"); empty otherwise
 * @csspart composer - the message form
 * @csspart input - the message text area
 * @csspart counter - the character counter
 * @csspart send-button - the send button
 * @csspart retry-button - sends a message that was not sent again
 * @csspart dismiss-button - drops a message that was not sent
 * @csspart identity - the "Identity" disclosure: your name, key fingerprint and the new-identity button
 * @csspart verified - the mark on a verified message (its tooltip gives the sender's key fingerprint)
 * @csspart members-toggle - the "3 people" button that folds the member list at narrow widths
 * @csspart new-messages - the "N new messages ↓" pill while reading older messages
 * @csspart welcome - an empty room's invitation, with the share link
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { codePointLength } from '../protocol/text.js';
import { MAX_NAME_LENGTH } from './identity-keeper.js';
import { noticeText } from './notices.js';
import type { TimelineItem } from './timeline.js';
import { RoomController, type DeadEnd } from './room-controller.js';
import type { ConnectionState } from './room-socket.js';
import { timeline as rows, TimeFormats } from './grouping.js';
import {
  identityTemplate,
  membersToggleTemplate,
  pillTemplate,
  shareLinkTemplate,
  welcomeTemplate,
} from './room-templates.js';
import { ScrollController } from './scroll-controller.js';
import { DEFAULT_STRINGS, errorStringKey, type Strings } from './strings.js';
import { memberTemplate, messageTemplate, outgoingTemplate } from './templates.js';
import type { GetToken } from './token.js';
import messageStyles from './message.styles.js';
import roomStyles from './room.styles.js';
import styles from './tiny-chat.styles.js';

export class TinyChatElement extends LitElement {
  static override styles = [styles, messageStyles, roomStyles];

  static override properties = {
    server: { type: String },
    room: { type: String, reflect: true },
    name: { type: String },
    theme: { type: String, reflect: true },
    roomParam: { type: String, attribute: 'room-param' },
    profile: { type: String },
    strings: { attribute: false },
    token: { attribute: false },
    getToken: { attribute: false },
    noTyping: { type: Boolean, attribute: 'no-typing' },
    titleBadge: { type: Boolean, attribute: 'title-badge' },
    sound: { type: Boolean },
    draft: { state: true },
    nameError: { state: true },
    copied: { state: true },
    signInOnly: { state: true },
    membersOpen: { state: true },
  };

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
  /** Overrides for any of the UI strings (see DEFAULT_STRINGS). */
  strings: Partial<Strings> = {};
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

  protected draft = '';
  /** The name typed into the field breaks the server's rules. */
  protected nameError = false;
  protected copied = false;
  /** The create form's choice: a room only signed-in people may join. */
  protected signInOnly = true;
  /** At narrow widths, whether the member list is unfolded. */
  protected membersOpen = false;

  readonly #model = new RoomController(this);
  /** Where the reader is; it tells the unread count whether the newest message is in view. */
  readonly #scroll = new ScrollController(this, (atBottom) => (this.#model.unread.atBottom = atBottom));
  readonly #formats = new TimeFormats();
  /** Keys of verified senders whose fingerprint was asked for, for the verified mark's tooltip. */
  readonly #learning = new Set<string>();
  /** Where keyboard focus goes once the next view is drawn. */
  #focusNext: 'name' | 'input' | undefined;

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

  private async copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.#model.shareUrl);
      this.copied = true;
      setTimeout(() => (this.copied = false), 2000);
    } catch {
      // Clipboard refused (no permission): the link stays selectable in the field.
    }
  }

  private onNameSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = input.value.trim();
    if (!name) return;
    void this.#model.chooseName(name).then((ok) => {
      this.nameError = !ok;
      if (ok) this.#focusSoon('input');
      else input.focus();
    });
  }

  async #createRoom(): Promise<void> {
    await this.#model.createRoom(this.signInOnly);
    if (this.room) this.#focusSoon(this.#model.joinName ? 'input' : 'name');
  }

  /** Moves focus to the field the user needs next, once it is drawn (after Create a room, after Join). */
  #focusSoon(field: 'name' | 'input'): void {
    this.#focusNext = field;
    this.requestUpdate();
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    if (this.sendMessage(this.draft) === undefined) return;
    this.draft = '';
    // Your own message always comes into view.
    this.#scroll.toBottom();
  }

  private onInput(event: InputEvent): void {
    this.draft = (event.target as HTMLTextAreaElement).value;
    this.#model.typed(this.draft);
  }

  private onKeyDown(event: KeyboardEvent): void {
    // Enter sends, Shift+Enter is a new line; composing (IME) Enter is left alone.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.onSubmit(event);
    }
  }

  protected override updated(): void {
    const focus = this.#focusNext && this.renderRoot.querySelector<HTMLElement>(`#${this.#focusNext}`);
    if (focus) {
      this.#focusNext = undefined;
      focus.focus();
    }
    // The verified mark names the sender's key fingerprint, also for senders no longer in the room.
    for (const { message, verified } of this.#model.timeline?.messages ?? []) {
      if (!verified || this.#learning.has(message.key.pub)) continue;
      this.#learning.add(message.key.pub);
      void this.#model.members.learn(message.key);
    }
  }

  /** The room is joined and has nothing in it yet: invite the first message. */
  private get isEmptyRoom(): boolean {
    const timeline = this.#model.timeline;
    return (
      !!timeline &&
      this.#model.myName !== undefined &&
      timeline.messages.length === 0 &&
      !timeline.hasEarlier &&
      !timeline.gap &&
      this.#model.outgoing.length === 0
    );
  }

  override render(): unknown {
    const t = this.text;
    return html`<section part="base" class="base" aria-label=${t.title}>
      <header part="header">
        <h2>${t.title}</h2>
        ${this.#model.state === 'setup' ? nothing : html`<span part="status" class="status ${this.#model.state}" role="status">${this.statusText(t)}</span>`}
        ${
          this.room && this.#model.joinName && !this.#model.dead
            ? membersToggleTemplate(this.#model.members.count, this.membersOpen, t, () => {
                this.membersOpen = !this.membersOpen;
              })
            : nothing
        }
      </header>
      ${this.room && !this.#model.dead && !this.isEmptyRoom ? this.renderShare(t) : nothing} ${this.renderBody(t)}
      ${this.#model.errorText && !this.#model.dead ? html`<p part="error" class="error" role="alert">${this.#model.errorText}</p>` : nothing}
      ${this.room && this.#model.joinName && !this.#model.dead ? this.renderTyping(t) : nothing}
      ${this.room && this.#model.joinName ? this.renderComposer(t) : nothing} ${this.renderIdentity(t)}
    </section>`;
  }

  private statusText(t: Strings): string {
    switch (this.#model.state) {
      case 'online':
        return t.statusOnline;
      case 'offline':
        // Not dialling while the browser has no network, so not "reconnecting".
        return navigator.onLine ? t.statusOffline : t.statusNoNetwork;
      case 'closed':
        return t.statusClosed;
      default:
        return t.statusConnecting;
    }
  }

  private renderShare(t: Strings): ReturnType<typeof shareLinkTemplate> {
    return shareLinkTemplate(this.#model.shareUrl, this.room ?? '', this.copied, t, () => void this.copyLink());
  }

  private renderBody(t: Strings): unknown {
    if (!this.room) {
      return html`<div class="empty main">
        <p>${t.noRoom}</p>
        ${
          this.#model.hasTokenSource
            ? html`<label class="check"
                ><input
                  type="checkbox"
                  .checked=${this.signInOnly}
                  @change=${(e: Event) => (this.signInOnly = (e.target as HTMLInputElement).checked)}
                />
                ${t.signInOnly}</label
              >`
            : nothing
        }
        <button type="button" @click=${() => void this.#createRoom()}>${t.createRoom}</button>
      </div>`;
    }
    if (this.#model.dead) return this.renderDeadEnd(t, this.#model.dead);
    if (!this.#model.joinName) return this.renderNameForm(t);
    const model = this.#model;
    const me = model.myName;
    // Before the first join (the server unreachable), the outbox shows under the wished name.
    const name = model.joinName;
    const timeline = model.timeline;
    const loadEarlier = (): void => model.loadEarlier();
    const earlier = html`<button type="button" class="quiet earlier" @click=${loadEarlier}>${t.earlier}</button>`;
    // Notices sit between messages with no sender, so a notice also ends a group.
    const timed = (item: TimelineItem): { name: string; at: number } =>
      item.kind === 'message' ? item.entry.message : { name: '', at: item.at };
    const shown = rows(timeline?.items ?? [], timed, t, this.#formats).map((row) =>
      row.kind === 'day'
        ? html`<li class="day">${row.label}</li>`
        : row.item.kind === 'notice'
          ? html`<li part="notice" class="notice" data-id=${row.item.id}>${noticeText(row.item, t)}</li>`
          : messageTemplate(
              row.item.entry,
              row.item.entry.message.name === me,
              row.cont,
              model.members.fingerprintOf(row.item.entry.message.key.pub),
              t,
              this.#formats,
            ),
    );
    const scroll = this.#scroll;
    return html`<div class="main">
      <div class="feed">
        <div
          part="messages"
          class="messages"
          role="log"
          aria-live="polite"
          aria-label=${t.messages}
          tabindex="0"
          @scroll=${scroll.onScroll}
        >
          ${timeline?.hasEarlier ? earlier : nothing}
          ${this.isEmptyRoom ? welcomeTemplate(this.renderShare(t), t) : nothing}
          <ol>
            ${timeline?.gap ? html`<li class="gap">${t.historyGap}</li>` : nothing} ${shown}
            ${model.outgoing.map((o) => outgoingTemplate(o, me ?? name ?? '', t, this.outboxActions))}
          </ol>
        </div>
        ${pillTemplate(scroll.newCount, t, () => scroll.toBottom())}
      </div>
      <section
        id="members"
        part="members"
        class=${this.membersOpen ? 'members open' : 'members'}
        aria-label=${t.members}
        tabindex="0"
      >
        <h3>${t.members} (${model.members.count})</h3>
        <ul>
          ${model.members.shown.map((m) =>
            memberTemplate(m.name, model.members.fingerprintOf(m.key.pub), m.name === me, t),
          )}
        </ul>
      </section>
    </div>`;
  }

  /** After retry or dismiss the button is gone, so keyboard focus goes back to the message input. */
  private readonly outboxActions = {
    retry: (id: string): void => {
      this.retryMessage(id);
      this.focusInput();
    },
    dismiss: (id: string): void => {
      this.dismissMessage(id);
      this.focusInput();
    },
  };

  private focusInput(): void {
    this.renderRoot.querySelector<HTMLTextAreaElement>('#input')?.focus();
  }

  /** The room is gone: what happened, what was dropped, and the one way forward. */
  private renderDeadEnd(t: Strings, dead: DeadEnd): unknown {
    const dropped = dead.dropped ? t.droppedUnsent.replace('{count}', String(dead.dropped)) : '';
    return html`<div part="dead-end" class="empty main dead-end">
      <p part="error" class="error" role="alert">${this.#model.errorText || t[errorStringKey(dead.code)]}</p>
      ${dropped ? html`<p>${dropped}</p>` : nothing}
      <button type="button" @click=${() => void this.#createRoom()}>${t.startNewRoom}</button>
    </div>`;
  }

  /** Asks for a name, with the server's rules; after a refusal, says so. */
  private renderNameForm(t: Strings): unknown {
    const refused = this.nameError || this.#model.nameProblem;
    return html`<form class="name empty main" @submit=${this.onNameSubmit}>
      <div class="field">
        <label for="name">${t.chooseName}</label>
        <input
          id="name"
          name="name"
          autocomplete="nickname"
          maxlength=${MAX_NAME_LENGTH}
          required
          aria-invalid=${refused ? 'true' : 'false'}
          aria-describedby=${refused ? 'name-error name-rules' : 'name-rules'}
          @input=${() => (this.nameError = false)}
        />
        <span id="name-rules" class="hint">${t.nameRules.replace('{max}', String(MAX_NAME_LENGTH))}</span>
      </div>
      ${refused ? html`<p id="name-error" part="error" class="error" role="alert">${t.errorNameInvalid}</p>` : nothing}
      <button type="submit">${t.join}</button>
    </form>`;
  }

  /** "Alice is typing…" or "3 people are typing…"; an empty live region otherwise, so a change is announced. */
  private renderTyping(t: Strings): unknown {
    const names = this.#model.typing;
    const [before, after] = t.typingOne.split('{name}');
    const words =
      names.length === 1
        ? html`${before}<bdi>${names[0]}</bdi>${after ?? ''}`
        : names.length > 1
          ? t.typingMany.replace('{count}', String(names.length))
          : '';
    return html`<p part="typing" class="typing" aria-live="polite">${words}</p>`;
  }

  private renderComposer(t: Strings): unknown {
    const limit = this.#model.maxText;
    const length = codePointLength(this.draft);
    return html`<form part="composer" @submit=${this.onSubmit}>
      <div class="field">
        <label for="input">${t.messageLabel}</label>
        <textarea
          id="input"
          part="input"
          rows="1"
          placeholder=${t.messagePlaceholder}
          aria-describedby="counter"
          ?disabled=${!!this.#model.dead}
          .value=${this.draft}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
        ></textarea>
      </div>
      <span id="counter" part="counter" class=${length > limit ? 'counter over' : 'counter'}>${length}/${limit}</span>
      <button part="send-button" type="submit" ?disabled=${!this.#model.canSend(this.draft)}>${t.send}</button>
    </form>`;
  }

  private renderIdentity(t: Strings): unknown {
    const id = this.#model.self.identity;
    if (!id) return nothing;
    return identityTemplate(this.#model.myName ?? id.name, this.#model.members.fingerprintOf(id.pub), t, () => {
      if (confirm(t.newIdentityConfirm)) void this.newIdentity();
    });
  }
}
