/**
 * The room model behind <tiny-chat>, as a Lit ReactiveController: identity and
 * name, room creation, sign-in tokens, the socket, the outbox, members and
 * their pins, the checked timeline, dead ends and errors in plain words. The
 * element only renders what this holds and calls its methods; every change
 * here asks the element to update.
 *
 * It must never show a message it did not check, never send on a socket that
 * is not joined (room-socket.ts and outbox.ts keep those promises), and never
 * keep text for a room that is gone.
 */
import type { ReactiveController } from 'lit';
import { DEFAULT_MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { codePointLength, isWellFormed } from '../protocol/text.js';
import { deadEnd, isDeadEnd, type DeadEnd } from './dead-end.js';
import { ErrorState, type ErrorOptions, type ShownError } from './error-state.js';
import { emit } from './events.js';
import { IdentityKeeper, isNameRefusal } from './identity-keeper.js';
import { load, type Chunks } from './lazy.js';
import { createRoom, powWork } from './room-create.js';
import { Members } from './members.js';
import type { ModerationSession } from './moderation/index.js';
import { Unread } from './unread.js';
import { defaultServer, shareUrl } from './origin.js';
import type { Outgoing } from './outbox.js';
import type { ConnectionState } from './room-socket.js';
import type { RoomHost } from './room-host.js';
import { RoomVisit } from './room-visit.js';
import type { PowWork } from './pow/index.js';
import type { Timeline } from './timeline.js';
import { errorStringKey, type Strings } from './strings.js';
import { askForToken, isTokenRefusal } from './token.js';

export class RoomController implements ReactiveController {
  state: ConnectionState | 'setup' = 'setup';
  /** The room is gone for good (dead-end.ts): the view offers a new one. */
  dead: DeadEnd | undefined;
  /** The moderation chunk, once a dead end needed it to say what happened. */
  ended: Chunks['moderation'] | undefined;
  /** This browser's key and name. */
  readonly self: IdentityKeeper;
  readonly members: Members;
  readonly errors: ErrorState;
  /**
   * Unread messages. The view's scroll code sets `unread.atBottom` on every scroll and may call
   * `unread.markRead()`; nothing else in the view needs to know how the count is kept.
   */
  readonly unread: Unread;
  /** A proof of work the server asked for and how it goes (pow/work.ts); loaded with it. */
  work: PowWork | undefined;

  readonly #host: RoomHost;
  #visit: RoomVisit | undefined;
  /** The visit on show: the running one, or the last one while stopped (so a restart does not blank the list). */
  #shown: RoomVisit | undefined;
  /** Closed for want of an accepted token: a new `token` starts again. */
  #signInBlocked = false;
  readonly #redraw = (): void => this.#host.requestUpdate();

  constructor(host: RoomHost) {
    this.#host = host;
    this.self = new IdentityKeeper(() => host.profile, this.#redraw);
    this.members = new Members(this.#redraw);
    this.errors = new ErrorState(this.#redraw);
    this.unread = new Unread(host, (count) => {
      emit(host, 'tiny-chat-unread', { count });
      host.requestUpdate();
    });
    host.addController(this);
  }

  hostConnected(): void {
    // The offline words follow the browser's own idea of the network.
    addEventListener('online', this.#redraw);
    addEventListener('offline', this.#redraw);
    this.unread.connect();
    void this.self.load().then(() => this.start());
  }

  hostDisconnected(): void {
    removeEventListener('online', this.#redraw);
    removeEventListener('offline', this.#redraw);
    this.unread.disconnect();
    this.stop();
  }

  /** Whether a fresh `token` should end a stop for want of one. */
  get signInBlocked(): boolean {
    return this.#signInBlocked;
  }

  /** The room the running socket is for; undefined when stopped. */
  get runningRoom(): string | undefined {
    return this.#visit?.roomId;
  }

  /** Stops and starts again (room, server or name changed). */
  restart(): void {
    this.stop();
    void this.self.load().then(() => this.start());
  }

  get serverUrl(): string {
    return this.#host.server || defaultServer();
  }

  get hasTokenSource(): boolean {
    return this.#host.getToken !== undefined || !!this.#host.token;
  }

  /** The name to keep with the identity: given, or stored earlier, if usable; never the signed-in placeholder. */
  get wishedName(): string | undefined {
    return this.self.wished(this.#host.name);
  }

  /** Signed in, the server takes the name from the token, so none need be asked for. */
  get joinName(): string | undefined {
    return this.self.joinName(this.#host.name, this.hasTokenSource);
  }

  /** The host's `name` or the stored one cannot be used (the server's rules, or refused): the field says why. */
  get nameProblem(): boolean {
    return this.self.problem(this.#host.name);
  }

  /** The error in plain words; while the browser is offline, that, whatever else failed. */
  get errorText(): string {
    if (!navigator.onLine && this.state !== 'setup') return this.#host.text.youAreOffline;
    return this.errors.text(this.#host.text);
  }

  /** Why the room is gone, in plain words (the moderation chunk words the moderation ends). */
  deadReason(t: Strings): string {
    const code = this.dead!.code;
    return this.ended?.endedReason(code, t) ?? (this.errorText || t[errorStringKey(code)]);
  }

  /** The name the server assigned in this room, once joined. */
  get myName(): string | undefined {
    return this.#shown?.myName;
  }

  get timeline(): Timeline | undefined {
    return this.#shown?.timeline;
  }

  /** The moderation chunk's part of the visit on show, once loaded (lazy.ts). */
  get mod(): ModerationSession | undefined {
    return this.#shown?.mod;
  }

  /** The longest text the server takes, in code points. */
  get maxText(): number {
    return this.#visit?.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  }

  get outgoing(): readonly Outgoing[] {
    return this.#shown?.outbox.items ?? [];
  }

  canSend(text: string): boolean {
    const length = codePointLength(text);
    return !this.dead && text.trim().length > 0 && length <= this.maxText && isWellFormed(text);
  }

  /** Queues a message for sending; returns its client message id, or undefined if it cannot be sent. */
  send(text: string): string | undefined {
    if (!this.#visit || !this.canSend(text)) return undefined;
    return this.#visit.outbox.add(text).id;
  }

  retry(id: string): string | undefined {
    return this.#visit?.outbox.retry(id);
  }

  dismiss(id: string): boolean {
    return this.#visit?.dismiss(id) ?? false;
  }

  /** Who else is typing now (none with `no-typing`). */
  get typing(): string[] {
    return this.#host.noTyping ? [] : (this.#visit?.typing.names ?? []);
  }

  /** The message field changed. */
  typed(text: string): void {
    this.#visit?.typed(text);
  }

  loadEarlier(): void {
    this.#visit?.loadEarlier();
  }

  /** The member list is on show and reaches its end, or does not follow the room yet (members.ts). */
  moreMembers(): void {
    this.#visit?.moreMembers();
  }

  /** Throws away the stored key and name and starts again as someone new. */
  async newIdentity(): Promise<void> {
    this.stop();
    const name = (await this.self.forget()) ?? this.self.usable(this.#host.name);
    if (name) await this.self.ensure(name);
    this.start();
  }

  /** A name typed into the field: checked, kept with the identity, then joined with. False when the rules refuse it. */
  async chooseName(typed: string): Promise<boolean> {
    const name = this.self.usable(typed);
    if (!name) return false;
    this.self.chosen();
    this.stop();
    await this.self.ensure(name);
    this.start();
    return true;
  }

  /** Creates a room (signed-in only when asked and possible) and joins it (room-create.ts). */
  createRoom(signInOnly: boolean): Promise<void> {
    return createRoom(this, this.#host, signInOnly);
  }

  /** The page URL with the room in its `room-param`: the link to share. */
  get shareUrl(): string {
    return shareUrl(this.#host.roomParam, this.#host.room);
  }

  start(): void {
    const host = this.#host;
    const roomId = host.room;
    if (!host.isConnected || this.#visit || !roomId || this.dead) return;
    const name = this.joinName;
    if (!name) return;
    this.#signInBlocked = false;
    // Signed in with no name of one's own, the identity keeps an empty name.
    const kept = this.wishedName ?? '';
    const identity = this.self.identity;
    if (!identity || identity.name !== kept) {
      void this.self.ensure(kept).then(
        () => this.start(),
        () => this.fail('internal'),
      );
      return;
    }
    void this.members.learn(identity);
    this.members.reset();
    const visit: RoomVisit = new RoomVisit({
      host,
      server: this.serverUrl,
      profile: host.profile,
      roomId,
      name,
      identity,
      token: (refused) => askForToken(this.#host, refused),
      // Cancelled or failed, the socket stops (room-socket.ts); Try again starts afresh.
      solve: async (hello) => (await powWork(this, host)).join(hello, roomId, identity, () => this.restart()),
      noTyping: () => host.noTyping,
      members: this.members,
      errors: this.errors,
      redraw: this.#redraw,
      arrived: () => this.unread.arrived(),
      fail: (code, options) => this.fail(code, options),
      state: (state) => {
        this.state = state;
        host.requestUpdate();
      },
      closed: (code, retryAfterMs) => this.#closed(code, visit, retryAfterMs),
    });
    this.#visit = visit;
    this.#shown = visit;
    this.unread.markRead();
    this.state = 'connecting';
    host.requestUpdate();
    visit.start();
  }

  stop(): void {
    this.work?.reset();
    this.#visit?.stop();
    this.#visit = undefined;
    this.state = 'setup';
    this.#host.requestUpdate();
  }

  /** The visit was turned away for good: a dead room, a refused name, or a refusal the user must act on. */
  #closed(code: string, visit: RoomVisit, retryAfterMs?: number): void {
    if (isDeadEnd(code)) {
      this.dead = deadEnd(code, visit.outbox, this.#redraw, retryAfterMs && Date.now() + retryAfterMs);
      // The moderation chunk words the moderation ends (kicked, banned, ended, locked).
      void load('moderation').then((chunk) => {
        this.ended = chunk;
        this.#redraw();
      });
    } else if (isNameRefusal(code)) {
      // The visit is over, and a new name starts the next one.
      this.#visit = undefined;
      this.state = 'setup';
      void this.self.refuse(visit.name);
      // The name field says it; the event still tells the host page.
      const message = this.#host.text.errorNameInvalid;
      emit(this.#host, 'tiny-chat-error', { code, message, temporary: false });
      return this.#host.requestUpdate();
    }
    this.fail(code, { category: 'invalid' });
  }

  /** Shows and announces an error (room-create.ts too, whose refusals are the model's errors). */
  fail(code: string, options: ErrorOptions = {}): ShownError {
    if (isTokenRefusal(code)) this.#signInBlocked = true;
    const shown = this.errors.set(code, options);
    const message = this.#host.text[shown.key];
    emit(this.#host, 'tiny-chat-error', { code, message, temporary: shown.temporary });
    return shown;
  }
}
