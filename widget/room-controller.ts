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
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WelcomeFrame } from '../protocol/frames.js';
import { DEFAULT_MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { codePointLength, isWellFormed } from '../protocol/text.js';
import { createRoom, CreateRoomError } from './create-room.js';
import { ErrorState } from './error-state.js';
import { emit } from './events.js';
import { IdentityKeeper } from './identity-keeper.js';
import { Members } from './members.js';
import { defaultServer } from './origin.js';
import { Outbox, type Outgoing } from './outbox.js';
import { createOutboxStore } from './outbox-store.js';
import { RoomSocket, type ConnectionState, type RoomSocketHandler, type Session } from './room-socket.js';
import type { StringKey, Strings } from './strings.js';
import { Timeline } from './timeline.js';
import { isTokenRefusal, type GetToken } from './token.js';

/** The name a signed-in join asks for when there is none: the server takes the token's name instead. */
const SIGNED_IN_PLACEHOLDER = 'member';

/** Codes that end a room for good: the widget offers a new room instead. */
const DEAD_ENDS = new Set(['room-not-found', 'room-expired', 'room-closed']);

/** Join refusals of the name itself: the name field shows again. */
const NAME_REFUSALS = new Set(['name-invalid', 'name-unavailable']);

/** What the controller reads from its element: the element's public configuration. */
export interface RoomHost extends ReactiveControllerHost, EventTarget {
  readonly isConnected: boolean;
  server: string | undefined;
  room: string | undefined;
  name: string | undefined;
  roomParam: string;
  profile: string;
  token: string | undefined;
  getToken: GetToken | undefined;
  readonly text: Strings;
}

/** A room that is gone: why, and how many unsent messages went with it (undefined while counting). */
export interface DeadEnd {
  readonly code: string;
  dropped: number | undefined;
}

export class RoomController implements ReactiveController {
  state: ConnectionState | 'setup' = 'setup';
  /** The name the server assigned in this room, once joined. */
  myName: string | undefined;
  dead: DeadEnd | undefined;
  /** This browser's key and name. */
  readonly self: IdentityKeeper;
  readonly members: Members;
  readonly errors: ErrorState;
  timeline: Timeline | undefined;
  outbox: Outbox | undefined;

  readonly #host: RoomHost;
  #socket: RoomSocket | undefined;
  /** The room and name the running socket joins. */
  #joining: { roomId: string; name: string } | undefined;
  /** Closed for want of an accepted token: a new `token` starts again. */
  #signInBlocked = false;
  readonly #redraw = (): void => this.#host.requestUpdate();

  constructor(host: RoomHost) {
    this.#host = host;
    this.self = new IdentityKeeper(() => host.profile, this.#redraw);
    this.members = new Members(this.#redraw);
    this.errors = new ErrorState(this.#redraw);
    host.addController(this);
  }

  hostConnected(): void {
    // The offline words follow the browser's own idea of the network.
    addEventListener('online', this.#redraw);
    addEventListener('offline', this.#redraw);
    void this.self.load().then(() => this.start());
  }

  hostDisconnected(): void {
    removeEventListener('online', this.#redraw);
    removeEventListener('offline', this.#redraw);
    this.stop();
  }

  /** Whether a fresh `token` should end a stop for want of one. */
  get signInBlocked(): boolean {
    return this.#signInBlocked;
  }

  /** The room the running socket is for; undefined when stopped. */
  get runningRoom(): string | undefined {
    return this.#socket ? this.#joining?.roomId : undefined;
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
    const placeholder = this.hasTokenSource && !this.self.refused ? SIGNED_IN_PLACEHOLDER : undefined;
    return this.wishedName ?? placeholder;
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

  /** The longest text the server takes, in code points. */
  get maxText(): number {
    return this.#socket?.limits?.maxTextLength ?? DEFAULT_MAX_TEXT_LENGTH;
  }

  get outgoing(): readonly Outgoing[] {
    return this.outbox?.items ?? [];
  }

  canSend(text: string): boolean {
    const length = codePointLength(text);
    return !this.dead && text.trim().length > 0 && length <= this.maxText && isWellFormed(text);
  }

  /** Queues a message for sending; returns its client message id, or undefined if it cannot be sent. */
  send(text: string): string | undefined {
    if (!this.#socket || !this.outbox || !this.canSend(text)) return undefined;
    return this.outbox.add(text).id;
  }

  retry(id: string): string | undefined {
    return this.outbox?.retry(id);
  }

  dismiss(id: string): boolean {
    const done = this.outbox?.dismiss(id) ?? false;
    if (done) this.errors.delivered((code) => this.outbox!.holds(code));
    return done;
  }

  loadEarlier(): void {
    const oldest = this.timeline?.oldestSeq;
    if (oldest !== undefined) this.#socket?.loadEarlier(oldest);
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

  /** Creates a room (signed-in only when asked and possible) and joins it. */
  async createRoom(signInOnly: boolean): Promise<void> {
    const host = this.#host;
    try {
      const roomId = await createRoom(this.serverUrl, {
        requireAuth: this.hasTokenSource && signInOnly,
        token: (refused) => this.#tokenFor(refused),
      });
      this.stop();
      this.dead = undefined;
      this.errors.clear();
      host.room = roomId;
      // The page address becomes the share link, so a reload stays in the room.
      if (host.roomParam) history.replaceState(history.state, '', this.shareUrl);
      this.start();
    } catch (err) {
      if (err instanceof CreateRoomError && err.code === 'auth-required')
        this.#fail(err.code, { key: 'errorSignInToCreate' });
      else if (err instanceof CreateRoomError) this.#fail(err.code, { temporary: err.temporary });
      else this.#fail('cannot-connect', { category: 'error', temporary: true });
    }
  }

  /** The page URL with the room in its `room-param`: the link to share. */
  get shareUrl(): string {
    const url = new URL(location.href);
    url.hash = '';
    if (this.#host.roomParam && this.#host.room) url.searchParams.set(this.#host.roomParam, this.#host.room);
    return url.href;
  }

  start(): void {
    const host = this.#host;
    const roomId = host.room;
    if (!host.isConnected || this.#socket || !roomId || this.dead) return;
    const name = this.joinName;
    if (!name) return;
    this.#signInBlocked = false;
    // Signed in with no name of one's own, the identity keeps an empty name.
    const kept = this.wishedName ?? '';
    const identity = this.self.identity;
    if (!identity || identity.name !== kept) {
      void this.self.ensure(kept).then(
        () => this.start(),
        () => this.#fail('internal'),
      );
      return;
    }
    void this.members.learn(identity);
    this.members.reset();
    this.timeline = new Timeline({
      roomId,
      members: this.members,
      changed: this.#redraw,
      checked: (entry) =>
        emit(host, 'tiny-chat-message', {
          message: entry.message,
          verified: entry.verified,
          own: entry.message.name === this.myName,
        }),
    });
    const outbox = new Outbox({
      roomId,
      identity,
      store: createOutboxStore(host.profile, roomId),
      changed: this.#redraw,
    });
    this.outbox = outbox;
    this.#joining = { roomId, name };
    this.#socket = new RoomSocket({
      server: this.serverUrl,
      roomId,
      identity,
      name,
      token: (refused) => this.#tokenFor(refused),
      handler: this.#handler(outbox, this.timeline, roomId),
    });
    this.state = 'connecting';
    host.requestUpdate();
    this.#socket.start();
    void outbox.restore();
  }

  stop(): void {
    this.#socket?.stop();
    this.#socket = undefined;
    this.outbox?.detach();
    this.state = 'setup';
    this.#host.requestUpdate();
  }

  #handler(outbox: Outbox, timeline: Timeline, roomId: string): RoomSocketHandler {
    const host = this.#host;
    const delivered = (id: string): void => {
      outbox.settle(id);
      this.errors.delivered((code) => outbox.holds(code));
    };
    return {
      state: (state) => {
        this.state = state;
        if (state === 'online') this.errors.clear();
        host.requestUpdate();
      },
      welcome: (frame, replaced, session) => this.#onWelcome(frame, replaced, session, roomId),
      message: (message) => {
        if (message.name === this.myName) delivered(message.id);
        timeline.append([message]);
      },
      ack: delivered,
      presence: (frame) => {
        if (frame.event === 'join') {
          if (this.members.add(frame.member)) emit(host, 'tiny-chat-join', frame.member);
        } else if (this.members.remove(frame.member.name)) emit(host, 'tiny-chat-leave', frame.member);
      },
      history: (frame) => timeline.prepend(frame),
      error: (frame) => {
        const ours = outbox.refused(frame);
        // A `replay` of one of our ids is proof it was stored: settled, not an error.
        if (ours && frame.code === 'replay') return;
        if (frame.code === 'room-expired') return this.#socket?.close('room-expired');
        const { category, temporary, retryAfterMs } = frame;
        const limited = frame.code === 'rate-limited' && retryAfterMs !== undefined;
        this.#fail(frame.code, { category, temporary, fromSend: ours, ...(limited ? { retryAfterMs } : {}) });
      },
      trouble: (code, category, temporary) => this.#fail(code, { category, temporary }),
      closed: (code) => this.#closed(code, outbox),
      dropped: () => outbox.detach(),
    };
  }

  #onWelcome(frame: WelcomeFrame, replaced: boolean, session: Session, roomId: string): void {
    const outbox = this.outbox!;
    const timeline = this.timeline!;
    this.myName = frame.name;
    timeline.firstSeq = frame.firstSeq;
    if (replaced) timeline.replace();
    // Sent before a drop or a reload, stored, but never acknowledged: done.
    for (const m of frame.messages) if (m.name === frame.name) outbox.settle(m.id);
    this.members.keepOnly(new Set(frame.members.map((m) => m.name)));
    for (const member of frame.members) this.members.add(member);
    timeline.append(frame.messages);
    void outbox.attach(session);
    void this.members
      .learn(this.self.identity!)
      .then((fp) => emit(this.#host, 'tiny-chat-ready', { roomId, name: frame.name, fingerprint: fp }));
  }

  /** The socket closed for good: a dead room, a refused name, or a refusal the user must act on. */
  #closed(code: string, outbox: Outbox): void {
    if (DEAD_ENDS.has(code)) {
      const dead: DeadEnd = { code, dropped: undefined };
      this.dead = dead;
      void outbox.clear().then((count) => {
        dead.dropped = count;
        this.#host.requestUpdate();
      });
    } else if (NAME_REFUSALS.has(code) && this.#joining) {
      this.#socket = undefined;
      this.state = 'setup';
      void this.self.refuse(this.#joining.name);
      // The name field says it; the event still tells the host page.
      const message = this.#host.text.errorNameInvalid;
      emit(this.#host, 'tiny-chat-error', { code, message, temporary: false });
      return this.#host.requestUpdate();
    }
    this.#fail(code, { category: 'invalid' });
  }

  /** The token to send; with `refused`, first tells the host (which may set a fresh `token` right in its listener). */
  async #tokenFor(refused?: string): Promise<string | undefined> {
    const host = this.#host;
    if (refused !== undefined) emit(host, 'tiny-chat-token-needed', { code: refused });
    if (!host.getToken) return host.token || undefined;
    try {
      return (await host.getToken(refused)) || undefined;
    } catch {
      // The host could not get a token (signed out, provider down): go on without one.
      return undefined;
    }
  }

  /** Shows and announces an error. */
  #fail(
    code: string,
    options: {
      category?: string;
      temporary?: boolean;
      fromSend?: boolean;
      key?: StringKey;
      retryAfterMs?: number;
    } = {},
  ): void {
    if (isTokenRefusal(code)) this.#signInBlocked = true;
    const shown = this.errors.set(code, options);
    const message = this.#host.text[shown.key];
    emit(this.#host, 'tiny-chat-error', { code, message, temporary: shown.temporary });
  }
}
