/**
 * The room model behind <tiny-chat>, as a Lit ReactiveController: identity,
 * room creation, sign-in tokens, the socket, the outbox, members and their
 * pins, the checked timeline, and errors in plain words. The element only
 * renders what this holds and calls its methods; every change here asks the
 * element to update.
 *
 * It must never show a message it did not check, and never send on a socket
 * that is not joined (room-socket.ts and outbox.ts keep those promises).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { WelcomeFrame } from '../protocol/frames.js';
import { DEFAULT_MAX_TEXT_LENGTH } from '../protocol/limits.js';
import { codePointLength, isWellFormed } from '../protocol/text.js';
import { createRoom, CreateRoomError } from './create-room.js';
import { emit } from './events.js';
import { forgetIdentity, generateIdentity, loadIdentity, saveIdentity, type Identity } from './keys.js';
import { Members } from './members.js';
import { defaultServer } from './origin.js';
import { Outbox, type Outgoing } from './outbox.js';
import { createOutboxStore } from './outbox-store.js';
import { RoomSocket, type ConnectionState, type RoomSocketHandler, type Session } from './room-socket.js';
import { errorStringKey, type StringKey, type Strings } from './strings.js';
import { Timeline } from './timeline.js';
import { isTokenRefusal, type GetToken } from './token.js';

/** The name a signed-in join asks for when there is none: the server takes the token's name instead. */
const SIGNED_IN_PLACEHOLDER = 'member';

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

export class RoomController implements ReactiveController {
  state: ConnectionState | 'setup' = 'setup';
  identity: Identity | undefined;
  /** The name the server assigned in this room, once joined. */
  myName: string | undefined;
  /** The last error, in plain words; empty when there is none. */
  errorText = '';
  readonly members: Members;
  timeline: Timeline | undefined;
  outbox: Outbox | undefined;

  readonly #host: RoomHost;
  #socket: RoomSocket | undefined;
  #identityLoad: Promise<void> | undefined;
  /** Closed for want of an accepted token: a new `token` starts again. */
  #signInBlocked = false;

  constructor(host: RoomHost) {
    this.#host = host;
    this.members = new Members(() => host.requestUpdate());
    host.addController(this);
  }

  hostConnected(): void {
    this.#identityLoad ??= loadIdentity(this.#host.profile).then(
      (stored) => {
        this.identity = stored;
      },
      () => undefined,
    );
    void this.#identityLoad.then(() => this.start());
  }

  hostDisconnected(): void {
    this.stop();
  }

  /** Whether a fresh `token` should end a stop for want of one. */
  get signInBlocked(): boolean {
    return this.#signInBlocked;
  }

  get running(): boolean {
    return this.#socket !== undefined;
  }

  /** Stops and starts again (room, server or name changed). */
  restart(): void {
    this.stop();
    void this.#identityLoad?.then(() => this.start());
  }

  get serverUrl(): string {
    return this.#host.server || defaultServer();
  }

  get hasTokenSource(): boolean {
    return this.#host.getToken !== undefined || !!this.#host.token;
  }

  /** The name to keep with the identity: given, or stored earlier; never the signed-in placeholder. */
  get wishedName(): string | undefined {
    return this.#host.name || this.identity?.name || undefined;
  }

  /** Signed in, the server takes the name from the token, so none need be asked for. */
  get joinName(): string | undefined {
    return this.wishedName ?? (this.hasTokenSource ? SIGNED_IN_PLACEHOLDER : undefined);
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
    return text.trim().length > 0 && length <= this.maxText && isWellFormed(text);
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
    return this.outbox?.dismiss(id) ?? false;
  }

  loadEarlier(): void {
    const oldest = this.timeline?.oldestSeq;
    if (oldest !== undefined) this.#socket?.loadEarlier(oldest);
  }

  /** Throws away the stored key and name and starts again as someone new. */
  async newIdentity(): Promise<void> {
    this.stop();
    await forgetIdentity(this.#host.profile);
    const name = this.identity?.name ?? this.#host.name;
    this.identity = undefined;
    if (name) await this.#ensureIdentity(name);
    this.start();
  }

  /** The name the user typed: kept with the identity, then the join goes ahead. */
  async chooseName(name: string): Promise<void> {
    await this.#ensureIdentity(name);
    this.start();
  }

  /** Creates a room (signed-in only when asked and possible) and joins it. */
  async createRoom(signInOnly: boolean): Promise<void> {
    const host = this.#host;
    try {
      host.room = await createRoom(this.serverUrl, {
        requireAuth: this.hasTokenSource && signInOnly,
        token: (refused) => this.#tokenFor(refused),
      });
      // The page address becomes the share link, so a reload stays in the room.
      if (host.roomParam) history.replaceState(history.state, '', this.shareUrl);
      this.start();
    } catch (err) {
      if (err instanceof CreateRoomError && err.code === 'auth-required')
        this.#fail(err.code, undefined, false, 'errorSignInToCreate');
      else if (err instanceof CreateRoomError) this.#fail(err.code, undefined, err.temporary);
      else this.#fail('cannot-connect', 'error', true);
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
    if (!host.isConnected || this.#socket || !roomId) return;
    const name = this.joinName;
    if (!name) return;
    this.#signInBlocked = false;
    // Signed in with no name of one's own, the identity keeps an empty name.
    const kept = this.wishedName ?? '';
    const identity = this.identity;
    if (!identity || identity.name !== kept) {
      void this.#ensureIdentity(kept).then(
        () => this.start(),
        () => this.#fail('internal'),
      );
      return;
    }
    void this.members.learn(identity);
    this.members.reset();
    const requestUpdate = (): void => host.requestUpdate();
    this.timeline = new Timeline({
      roomId,
      members: this.members,
      changed: requestUpdate,
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
      changed: requestUpdate,
    });
    this.outbox = outbox;
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
    return {
      state: (state) => {
        this.state = state;
        if (state === 'online') this.errorText = '';
        host.requestUpdate();
      },
      welcome: (frame, replaced, session) => this.#onWelcome(frame, replaced, session, roomId),
      message: (message) => {
        if (message.name === this.myName) outbox.settle(message.id);
        timeline.append([message]);
      },
      ack: (id) => outbox.settle(id),
      presence: (frame) => {
        if (frame.event === 'join') {
          if (this.members.add(frame.member)) emit(host, 'tiny-chat-join', frame.member);
        } else if (this.members.remove(frame.member.name)) emit(host, 'tiny-chat-leave', frame.member);
      },
      history: (frame) => timeline.prepend(frame),
      error: (frame) => {
        // A `replay` of one of our ids is proof it was stored: settled, not an error.
        if (outbox.refused(frame) && frame.code === 'replay') return;
        if (frame.code === 'room-expired') return this.#socket?.close('room-expired');
        this.#fail(frame.code, frame.category, frame.temporary);
      },
      trouble: (code, category, temporary) => this.#fail(code, category, temporary),
      closed: (code) => this.#fail(code, 'invalid', false),
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
      .learn(this.identity!)
      .then((fp) => emit(this.#host, 'tiny-chat-ready', { roomId, name: frame.name, fingerprint: fp }));
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

  async #ensureIdentity(name: string): Promise<Identity> {
    if (this.identity && this.identity.name === name) return this.identity;
    const identity = this.identity ?? (await generateIdentity(name));
    identity.name = name;
    await saveIdentity(this.#host.profile, identity);
    this.identity = identity;
    this.#host.requestUpdate();
    return identity;
  }

  /** Shows and announces an error; `key` picks other words than the code's usual ones. */
  #fail(code: string, category?: string, temporary = false, key: StringKey = errorStringKey(code, category)): void {
    if (isTokenRefusal(code)) this.#signInBlocked = true;
    const message = this.#host.text[key];
    this.errorText = message;
    this.#host.requestUpdate();
    emit(this.#host, 'tiny-chat-error', { code, message, temporary });
  }
}
