/**
 * The <tiny-chat> element: identity, room, connection and rendering glued
 * together. Importing this file defines nothing; tiny-chat.ts registers the
 * tag.
 *
 * @fires tiny-chat-message - a message arrived and was checked: `{ message, verified, own }`
 * @fires tiny-chat-join - a member joined: `{ name, key }`
 * @fires tiny-chat-leave - a member left: `{ name, key }`
 * @fires tiny-chat-error - something failed, in plain words: `{ code, message, temporary }`
 * @fires tiny-chat-ready - joined a room: `{ roomId, name, fingerprint }`
 * @fires tiny-chat-token-needed - the server wants a (fresh) sign-in token: `{ code }`; set `token` to go on
 * @csspart base - the outer box
 * @csspart header - title and connection status
 * @csspart status - the connection status
 * @csspart share - the share-link row
 * @csspart messages - the message list (an aria-live log)
 * @csspart message - one message; own ones also have part `own-message`
 * @csspart members - the member list
 * @csspart member - one member
 * @csspart error - the last error, in plain words
 * @csspart composer - the message form
 * @csspart input - the message text area
 * @csspart counter - the character counter
 * @csspart send-button - the send button
 * @csspart retry-button - sends a message that was not sent again
 * @csspart dismiss-button - drops a message that was not sent
 * @csspart identity - your name, key fingerprint and the new-identity button
 */
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ChatMessage, Member, WelcomeFrame } from '../protocol/frames.js';
import { codePointLength, isWellFormed } from '../protocol/text.js';
import { ChatConnection, type ConnectionState } from './connection.js';
import { createRoom, CreateRoomError } from './create-room.js';
import { emit } from './events.js';
import { fingerprint, forgetIdentity, generateIdentity, loadIdentity, saveIdentity, type Identity } from './keys.js';
import { defaultServer } from './origin.js';
import { createOutboxStore } from './outbox-store.js';
import { verifyMessage } from './signing.js';
import { DEFAULT_STRINGS, errorStringKey, type Strings } from './strings.js';
import { isTokenRefusal, type GetToken } from './token.js';
import { memberTemplate, messageTemplate, outgoingTemplate, type ShownMessage } from './templates.js';
import styles from './tiny-chat.styles.js';

/** The server's default, used for the counter until the server's hello says otherwise. */
import { DEFAULT_MAX_TEXT_LENGTH as DEFAULT_MAX_TEXT } from '../protocol/limits.js';

/** The name a signed-in join asks for when there is none: the server takes the token's name instead. */
const SIGNED_IN_PLACEHOLDER = 'member';

export class TinyChatElement extends LitElement {
  static override styles = styles;

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
    state: { state: true },
    identity: { state: true },
    messages: { state: true },
    members: { state: true },
    myName: { state: true },
    draft: { state: true },
    errorText: { state: true },
    gap: { state: true },
    copied: { state: true },
    firstSeq: { state: true },
    signInOnly: { state: true },
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

  protected state: ConnectionState | 'setup' = 'setup';
  protected identity: Identity | undefined;
  protected messages: ShownMessage[] = [];
  protected members: Member[] = [];
  protected myName: string | undefined;
  protected draft = '';
  protected errorText = '';
  protected gap = false;
  protected copied = false;
  /** The lowest sequence number the server still stores. */
  protected firstSeq = 1;
  /** The create form's choice: a room only signed-in people may join. */
  protected signInOnly = true;

  private connection: ChatConnection | undefined;
  private fingerprints = new Map<string, string>();
  /** The key each name was first seen with: a later change means the server is lying. */
  private pinned = new Map<string, string>();
  private identityLoad: Promise<void> | undefined;
  /** Closed for want of an accepted token: a new `token` starts again. */
  private signInBlocked = false;
  /** Keep the newest message in view after an update, unless older ones were put on top. */
  private stickToBottom = true;
  private readonly timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

  /** The merged UI strings. */
  get text(): Strings {
    return { ...DEFAULT_STRINGS, ...this.strings };
  }

  /** The connection state: `setup`, `connecting`, `online`, `offline` or `closed`. */
  get connectionState(): ConnectionState | 'setup' {
    return this.state;
  }

  /** The name the server assigned in this room, once joined. */
  get assignedName(): string | undefined {
    return this.myName;
  }

  /** Queues a message for sending; returns its client message id, or undefined if it cannot be sent. */
  sendMessage(text: string): string | undefined {
    if (!this.connection || !this.canSend(text)) return undefined;
    return this.connection.send(text).id;
  }

  /**
   * Sends a message that was not sent again (the same id while the server can
   * still take its first stamp, else a new one); returns the id it goes out with.
   */
  retryMessage(id: string): string | undefined {
    return this.connection?.retry(id);
  }

  /** Drops a message that was not sent, from the outbox and its stored copy. */
  dismissMessage(id: string): boolean {
    return this.connection?.dismiss(id) ?? false;
  }

  /** Throws away the stored key and name and starts again as someone new. */
  async newIdentity(): Promise<void> {
    this.stopConnection();
    await forgetIdentity(this.profile);
    const name = this.identity?.name ?? this.name;
    this.identity = undefined;
    if (name) await this.ensureIdentity(name);
    this.startConnection();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.room && this.roomParam) {
      const fromPage = new URLSearchParams(location.search).get(this.roomParam);
      if (fromPage && /^[A-Za-z0-9_-]{22}$/.test(fromPage)) this.room = fromPage;
    }
    this.identityLoad ??= loadIdentity(this.profile).then(
      (stored) => {
        this.identity = stored;
      },
      () => undefined,
    );
    void this.identityLoad.then(() => this.startConnection());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopConnection();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const freshToken = changed.has('token') && this.signInBlocked && !!this.token;
    if (
      this.connection &&
      (freshToken ||
        changed.has('room') ||
        changed.has('server') ||
        (changed.has('name') && changed.get('name') !== undefined))
    ) {
      this.stopConnection();
      void this.identityLoad?.then(() => this.startConnection());
    }
  }

  private get serverUrl(): string {
    return this.server || defaultServer();
  }

  private get hasTokenSource(): boolean {
    return this.getToken !== undefined || !!this.token;
  }

  /** The token to send; with `refused`, first tells the host (which may set a fresh `token` right in its listener). */
  private async tokenFor(refused?: string): Promise<string | undefined> {
    if (refused !== undefined) emit(this, 'tiny-chat-token-needed', { code: refused });
    if (!this.getToken) return this.token || undefined;
    try {
      return (await this.getToken(refused)) || undefined;
    } catch {
      // The host could not get a token (signed out, provider down): go on without one.
      return undefined;
    }
  }

  /** The name to keep with the identity: given, or stored earlier; never the signed-in placeholder. */
  private get wishedName(): string | undefined {
    return this.name || this.identity?.name || undefined;
  }

  /** Signed in, the server takes the name from the token, so none need be asked for. */
  private get joinName(): string | undefined {
    return this.wishedName ?? (this.hasTokenSource ? SIGNED_IN_PLACEHOLDER : undefined);
  }

  private async ensureIdentity(name: string): Promise<Identity> {
    if (this.identity && this.identity.name === name) return this.identity;
    const identity = this.identity ?? (await generateIdentity(name));
    identity.name = name;
    await saveIdentity(this.profile, identity);
    this.identity = identity;
    return identity;
  }

  private startConnection(): void {
    if (!this.isConnected || this.connection || !this.room) return;
    const name = this.joinName;
    if (!name) return;
    this.signInBlocked = false;
    // Signed in with no name of one's own, the identity keeps an empty name.
    const kept = this.wishedName ?? '';
    if (!this.identity || this.identity.name !== kept) {
      void this.ensureIdentity(kept).then(
        () => this.startConnection(),
        () => this.fail('internal'),
      );
      return;
    }
    void fingerprint(this.identity).then((fp) => this.fingerprints.set(this.identity!.pub, fp));
    this.messages = [];
    this.members = [];
    this.pinned.clear();
    this.gap = false;
    const roomId = this.room;
    const connection: ChatConnection = new ChatConnection({
      server: this.serverUrl,
      roomId,
      identity: this.identity,
      name,
      store: createOutboxStore(this.profile, roomId),
      token: (refused) => this.tokenFor(refused),
      callbacks: {
        state: (state) => {
          this.state = state;
          if (state === 'online') this.errorText = '';
        },
        welcome: (frame, replaced) => this.onWelcome(frame, replaced, roomId),
        message: (message) => this.addMessages([message], roomId),
        presence: (frame) => {
          if (frame.event === 'join') this.addMember(frame.member);
          else if (this.members.some((m) => m.name === frame.member.name)) {
            this.members = this.members.filter((m) => m.name !== frame.member.name);
            emit(this, 'tiny-chat-leave', frame.member);
          }
        },
        error: (code, category, temporary) => this.fail(code, category, temporary),
        outbox: () => this.requestUpdate(),
        history: (frame) => {
          this.firstSeq = frame.firstSeq;
          const oldest = this.messages[0]?.message.seq ?? Infinity;
          const older = frame.messages.filter((m) => m.seq < oldest);
          const shown = older.map((message): ShownMessage => ({ message, verified: undefined }));
          this.stickToBottom = false;
          this.messages = [...shown, ...this.messages];
          for (const entry of shown) void this.check(entry, roomId);
        },
      },
    });
    this.connection = connection;
    this.state = 'connecting';
    connection.start();
  }

  private stopConnection(): void {
    this.connection?.stop();
    this.connection = undefined;
    this.state = 'setup';
  }

  private onWelcome(frame: WelcomeFrame, replaced: boolean, roomId: string): void {
    this.myName = frame.name;
    this.firstSeq = frame.firstSeq;
    if (replaced) {
      // A snapshot after a reconnect is not continuous with what was shown.
      this.gap = this.messages.length > 0;
      if (this.gap) this.messages = [];
    }
    const listed = new Set(frame.members.map((m) => m.name));
    this.members = this.members.filter((m) => listed.has(m.name));
    for (const member of frame.members) this.addMember(member, false);
    this.addMessages(frame.messages, roomId);
    void fingerprint(this.identity!).then((fp) =>
      emit(this, 'tiny-chat-ready', { roomId, name: frame.name, fingerprint: fp }),
    );
  }

  private addMember(member: Member, announce = true): void {
    this.pin(member.name, member.key.pub);
    void fingerprint(member.key).then((fp) => {
      this.fingerprints.set(member.key.pub, fp);
      this.requestUpdate();
    });
    if (this.members.some((m) => m.name === member.name)) return;
    this.members = [...this.members, member];
    if (announce) emit(this, 'tiny-chat-join', member);
  }

  private pin(name: string, pub: string): void {
    if (!this.pinned.has(name)) this.pinned.set(name, pub);
  }

  private addMessages(messages: readonly ChatMessage[], roomId: string): void {
    if (messages.length === 0) return;
    const shown = messages.map((message): ShownMessage => ({ message, verified: undefined }));
    this.messages = [...this.messages, ...shown];
    for (const entry of shown) void this.check(entry, roomId);
  }

  private async check(entry: ShownMessage, roomId: string): Promise<void> {
    const m = entry.message;
    this.pin(m.name, m.key.pub);
    const signed = await verifyMessage(m.key, m.sig, { roomId, name: m.name, id: m.id, ts: m.ts, text: m.text });
    entry.verified = signed && this.pinned.get(m.name) === m.key.pub;
    this.requestUpdate();
    emit(this, 'tiny-chat-message', { message: m, verified: entry.verified, own: m.name === this.myName });
  }

  /** Shows and announces an error; `key` picks other words than the code's usual ones. */
  private fail(code: string, category?: string, temporary = false, key = errorStringKey(code, category)): void {
    if (isTokenRefusal(code)) this.signInBlocked = true;
    const message = this.text[key];
    this.errorText = message;
    emit(this, 'tiny-chat-error', { code, message, temporary });
  }

  private canSend(text: string): boolean {
    const limit = this.connection?.limits?.maxTextLength ?? DEFAULT_MAX_TEXT;
    const length = codePointLength(text);
    return text.trim().length > 0 && length <= limit && isWellFormed(text);
  }

  private async createRoom(): Promise<void> {
    try {
      this.room = await createRoom(this.serverUrl, {
        requireAuth: this.hasTokenSource && this.signInOnly,
        token: (refused) => this.tokenFor(refused),
      });
      // The page address becomes the share link, so a reload stays in the room.
      if (this.roomParam) history.replaceState(history.state, '', this.shareUrl);
      this.startConnection();
    } catch (err) {
      if (err instanceof CreateRoomError && err.code === 'auth-required')
        this.fail(err.code, undefined, false, 'errorSignInToCreate');
      else if (err instanceof CreateRoomError) this.fail(err.code, undefined, err.temporary);
      else this.fail('cannot-connect', 'error', true);
    }
  }

  private get shareUrl(): string {
    const url = new URL(location.href);
    url.hash = '';
    if (this.roomParam && this.room) url.searchParams.set(this.roomParam, this.room);
    return url.href;
  }

  private async copyLink(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.shareUrl);
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
    void this.ensureIdentity(name).then(() => this.startConnection());
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    if (this.sendMessage(this.draft) !== undefined) this.draft = '';
  }

  private onKeyDown(event: KeyboardEvent): void {
    // Enter sends, Shift+Enter is a new line; composing (IME) Enter is left alone.
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.onSubmit(event);
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('messages')) {
      const list = this.renderRoot.querySelector('.messages');
      if (list && this.stickToBottom) list.scrollTop = list.scrollHeight;
      this.stickToBottom = true;
    }
  }

  override render(): unknown {
    const t = this.text;
    return html`<section part="base" class="base" aria-label=${t.title}>
      <header part="header">
        <h2>${t.title}</h2>
        ${this.state === 'setup' ? nothing : html`<span part="status" class="status ${this.state}" role="status">${this.statusText(t)}</span>`}
      </header>
      ${this.room ? this.renderShare(t) : nothing} ${this.renderBody(t)}
      ${this.errorText ? html`<p part="error" class="error" role="alert">${this.errorText}</p>` : nothing}
      ${this.room && this.joinName ? this.renderComposer(t) : nothing} ${this.renderIdentity(t)}
    </section>`;
  }

  private statusText(t: Strings): string {
    switch (this.state) {
      case 'online':
        return t.statusOnline;
      case 'offline':
        return t.statusOffline;
      case 'closed':
        return t.statusClosed;
      default:
        return t.statusConnecting;
    }
  }

  private renderShare(t: Strings): unknown {
    return html`<div part="share" class="share">
      <label for="share">${t.shareLink}</label>
      <input
        id="share"
        readonly
        .value=${this.shareUrl}
        @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()}
      />
      <button type="button" class="quiet" @click=${() => void this.copyLink()}>
        ${this.copied ? t.copied : t.copy}
      </button>
    </div>`;
  }

  private renderBody(t: Strings): unknown {
    if (!this.room) {
      return html`<div class="empty main">
        <p>${t.noRoom}</p>
        ${
          this.hasTokenSource
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
        <button type="button" @click=${() => void this.createRoom()}>${t.createRoom}</button>
      </div>`;
    }
    if (!this.joinName) {
      return html`<form class="name empty main" @submit=${this.onNameSubmit}>
        <div class="field">
          <label for="name">${t.chooseName}</label>
          <input id="name" name="name" autocomplete="nickname" maxlength="64" required />
        </div>
        <button type="submit">${t.join}</button>
      </form>`;
    }
    const me = this.myName;
    // Before the first join (the server unreachable), the outbox shows under the wished name.
    const name = this.joinName;
    return html`<div class="main">
      <div part="messages" class="messages" role="log" aria-live="polite" aria-label=${t.messages} tabindex="0">
        ${
          this.hasEarlier
            ? html`<button type="button" class="quiet earlier" @click=${this.loadEarlier}>${t.earlier}</button>`
            : nothing
        }
        <ol>
          ${this.gap ? html`<li class="gap">${t.historyGap}</li>` : nothing}
          ${this.messages.map((m) => messageTemplate(m, m.message.name === me, t, this.timeFormat))}
          ${(this.connection?.outbox ?? []).map((o) => outgoingTemplate(o, me ?? name, t, this.outboxActions))}
        </ol>
      </div>
      <section part="members" class="members" aria-label=${t.members}>
        <h3>${t.members} (${this.members.length})</h3>
        <ul>
          ${this.members.map((m) => memberTemplate(m.name, this.fingerprints.get(m.key.pub), m.name === me, t))}
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

  private get hasEarlier(): boolean {
    const oldest = this.messages[0]?.message.seq;
    return oldest !== undefined && oldest > this.firstSeq;
  }

  private loadEarlier(): void {
    const oldest = this.messages[0]?.message.seq;
    if (oldest !== undefined) this.connection?.loadEarlier(oldest);
  }

  private renderComposer(t: Strings): unknown {
    const limit = this.connection?.limits?.maxTextLength ?? DEFAULT_MAX_TEXT;
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
          .value=${this.draft}
          @input=${(e: InputEvent) => (this.draft = (e.target as HTMLTextAreaElement).value)}
          @keydown=${this.onKeyDown}
        ></textarea>
      </div>
      <span id="counter" part="counter" class=${length > limit ? 'counter over' : 'counter'}>${length}/${limit}</span>
      <button part="send-button" type="submit" ?disabled=${!this.canSend(this.draft)}>${t.send}</button>
    </form>`;
  }

  private renderIdentity(t: Strings): unknown {
    const id = this.identity;
    if (!id) return nothing;
    return html`<footer part="identity">
      <span><bdi>${this.myName ?? id.name}</bdi></span>
      <span>${t.fingerprint}: <code>${this.fingerprints.get(id.pub) ?? '…'}</code></span>
      <button
        type="button"
        class="quiet"
        @click=${() => {
          if (confirm(t.newIdentityConfirm)) void this.newIdentity();
        }}
      >
        ${t.newIdentity}
      </button>
    </footer>`;
  }
}
