/**
 * One visit of one room under one name: from start() until it is stopped or
 * the room turns it away. It ties the socket (room-socket.ts) to the outbox,
 * the members and the checked timeline, and turns what the server says into
 * changes of them and into the element's events. The controller makes a new
 * visit for every room, name or identity; a visit never outlives its socket.
 */
import type { ErrorFrame, HelloFrame, WelcomeFrame } from '../protocol/frames.js';
import type { RoomStaff } from '../protocol/moderation.js';
import type { ErrorOptions, ErrorState, ShownError } from './error-state.js';
import { emit } from './events.js';
import { KeyMemory } from './key-memory.js';
import { load } from './lazy.js';
import type { ModerationSession } from './moderation/index.js';
import type { Identity } from './keys.js';
import type { Members } from './members.js';
import { newNotice } from './notices.js';
import { Outbox } from './outbox.js';
import { createOutboxStore } from './outbox-store.js';
import { RoomSocket, type ConnectionState, type RoomSocketHandler, type Session } from './room-socket.js';
import { Timeline } from './timeline.js';
import type { TokenSource } from './token.js';
import { Typing } from './typing.js';

export interface VisitContext {
  /** Where the element's events go. */
  readonly host: EventTarget;
  readonly server: string;
  readonly profile: string;
  readonly roomId: string;
  /** The name to join with (the signed-in placeholder when the token names the user). */
  readonly name: string;
  readonly identity: Identity;
  readonly token: TokenSource;
  /** Solves the join work a `hello` asks for (pow/work.ts). */
  readonly solve: (hello: HelloFrame) => Promise<string>;
  /** The host's `no-typing`: neither send nor show typing. */
  readonly noTyping: () => boolean;
  readonly members: Members;
  readonly errors: ErrorState;
  readonly redraw: () => void;
  /** A message from someone else arrived live (not from history). */
  readonly arrived: () => void;
  /** Shows and announces an error. */
  fail(code: string, options: ErrorOptions): ShownError;
  state(state: ConnectionState): void;
  /** The room turned the visit away for good (room gone, name or key refused, removed by a moderator). */
  closed(code: string, retryAfterMs?: number): void;
}

export class RoomVisit {
  /** The name the server assigned, once joined. */
  myName: string | undefined;
  /** The room from the welcome: who moderates it and its rules, which the moderation chunk keeps current. */
  room: RoomStaff | undefined;
  /** The moderation chunk's part of this visit, loaded only when needed (see moderation()). */
  mod: ModerationSession | undefined;
  readonly timeline: Timeline;
  readonly outbox: Outbox;
  readonly typing: Typing;
  readonly #keys: KeyMemory;
  /** serverTime − local time, from the last hello (the moderation chunk stamps actions with it). */
  clockOffset = 0;
  readonly ctx: VisitContext;
  readonly socket: RoomSocket;
  #loading: Promise<ModerationSession> | undefined;

  constructor(ctx: VisitContext) {
    this.ctx = ctx;
    const { roomId, identity, host } = ctx;
    this.timeline = new Timeline({
      roomId,
      members: ctx.members,
      changed: ctx.redraw,
      checked: ({ message, verified, fingerprint }) => {
        // The verified mark names the sender's key fingerprint, also for senders no longer in the room.
        if (verified && !ctx.members.fingerprintOf(message.key.pub)) void ctx.members.learn(message.key);
        emit(host, 'tiny-chat-message', { message, verified, own: message.name === this.myName, fingerprint });
      },
      // An action or tombstone in the room's order: the moderation chunk checks it (a failed load: unverified).
      other: (entry, prev) =>
        this.moderation().then(
          (m) => m.check(entry, prev),
          () => false,
        ),
    });
    this.typing = new Typing(ctx.redraw);
    this.#keys = new KeyMemory(ctx.profile, roomId);
    this.outbox = new Outbox({ roomId, identity, store: createOutboxStore(ctx.profile, roomId), changed: ctx.redraw });
    this.socket = new RoomSocket({
      server: ctx.server,
      roomId,
      identity,
      name: ctx.name,
      token: ctx.token,
      solve: ctx.solve,
      handler: this.#handler(),
    });
  }

  get roomId(): string {
    return this.ctx.roomId;
  }

  get name(): string {
    return this.ctx.name;
  }

  get maxTextLength(): number | undefined {
    return this.socket.limits?.maxTextLength;
  }

  /**
   * Loads the moderation chunk (lazy.ts) for this visit, once: when the user
   * is the owner or a moderator, or the room's order holds an action or a
   * tombstone. A room nobody moderates never loads it.
   */
  moderation(): Promise<ModerationSession> {
    this.#loading ??= load('moderation').then(
      // The session sets this.mod and redraws. Not loaded (offline): entries show unverified until the next visit.
      (chunk) => chunk.session(this),
    );
    return this.#loading;
  }

  start(): void {
    this.socket.start();
    void this.outbox.restore();
  }

  stop(): void {
    this.socket.stop();
    this.outbox.detach();
    this.typing.clear();
  }

  /** The user changed the message field: says "typing" now and then (typing.ts). */
  typed(text: string): void {
    if (!this.ctx.noTyping() && this.typing.due(text)) this.socket.sendIfJoined({ type: 'typing' });
  }

  dismiss(id: string): boolean {
    const done = this.outbox.dismiss(id);
    if (done) this.ctx.errors.delivered((code) => this.outbox.holds(code));
    return done;
  }

  loadEarlier(): void {
    const oldest = this.timeline.oldestSeq;
    if (oldest !== undefined) this.socket.loadEarlier(oldest);
  }

  /** The member list is on show and needs its next page (or, to follow the room, its first). */
  moreMembers(): void {
    this.ctx.members.ask((frame) => this.socket.sendIfJoined(frame));
  }

  #delivered(id: string): void {
    this.outbox.settle(id);
    this.ctx.errors.delivered((code) => this.outbox.holds(code));
  }

  #handler(): RoomSocketHandler {
    const { host, members, errors } = this.ctx;
    return {
      state: (state) => {
        if (state === 'online') errors.clear();
        this.ctx.state(state);
      },
      welcome: (frame, replaced, session) => this.#welcome(frame, replaced, session),
      message: (message) => {
        this.typing.spoke(message.name);
        if (message.name === this.myName) this.#delivered(message.id);
        else this.ctx.arrived();
        this.#remember(message.name, message.key.pub);
        this.timeline.append([message]);
      },
      moderation: ({ entry }) => {
        this.timeline.append([entry]);
        void this.moderation().then((m) => m.live(entry));
      },
      // The moderation chunk's own frames are answered to it.
      ack: (id) => this.mod?.answered(id) || this.#delivered(id),
      presence: (frame) => {
        // One frame per tick: every leave and join in it, each name once (docs/protocol.md).
        const added = members.apply(frame.joined, frame.left, frame.memberCount);
        for (const m of frame.left) {
          emit(host, 'tiny-chat-leave', m);
          this.typing.spoke(m.name);
          if (m.name !== this.myName) this.timeline.presence('leave', m.name);
        }
        for (const m of added) {
          this.#remember(m.name, m.key.pub);
          emit(host, 'tiny-chat-join', m);
          if (m.name !== this.myName) this.timeline.presence('join', m.name);
        }
      },
      history: (frame) => this.timeline.prepend(frame),
      // A listing, not arrivals: no join events, and no key memory for thousands of names.
      members: (frame) => members.page(frame),
      typing: (name) => {
        if (!this.ctx.noTyping() && name !== this.myName) this.typing.heard(name);
      },
      error: (frame) => this.mod?.answered(frame.ref, frame) || this.#error(frame),
      trouble: (code, category, temporary) => void this.ctx.fail(code, { category, temporary }),
      closed: (code, retryAfterMs) => this.ctx.closed(code, retryAfterMs),
      dropped: () => this.outbox.detach(),
    };
  }

  #error(frame: ErrorFrame): void {
    const ours = this.outbox.refused(frame);
    // A `replay` of one of our ids is proof it was stored: settled, not an error.
    if (ours && frame.code === 'replay') return;
    if (frame.code === 'room-expired') return this.socket.close('room-expired');
    const { category, temporary, retryAfterMs } = frame;
    // Slow mode too: the message waits in the outbox (outbox.ts) and the error counts down to its turn.
    const limited = frame.category === 'rate-limited' && retryAfterMs !== undefined;
    this.ctx.fail(frame.code, { category, temporary, fromSend: ours, ...(limited ? { retryAfterMs } : {}) });
  }

  /** Announces a member whose key is not the one remembered from an earlier visit (never oneself). */
  #remember(name: string, pub: string): void {
    if (pub === this.ctx.identity.pub) return;
    void this.#keys.seen(name, pub).then((changed) => {
      if (changed) this.timeline.notice(newNotice({ keyChanged: name }));
    });
  }

  #welcome(frame: WelcomeFrame, replaced: boolean, session: Session): void {
    const { members, identity, host, roomId } = this.ctx;
    this.myName = frame.name;
    this.clockOffset = session.clockOffset;
    // Who moderates, and the room's rules; the moderation chunk keeps them current.
    this.room = frame.room;
    // The room info names keys only as its owner and moderators: there, this user is staff.
    if (JSON.stringify(this.room).includes(identity.pub)) void this.moderation();
    this.timeline.firstSeq = frame.firstSeq;
    this.timeline.created(frame.room.createdAt);
    // `ahead` and `rewritten`: the server's storage went back under what was shown (chain-check.ts).
    const changed = frame.resume === 'ahead' || frame.resume === 'rewritten';
    if (replaced) this.timeline.replace(changed ? frame : undefined);
    // Sent before a drop or a reload, stored, but never acknowledged: done.
    for (const m of frame.messages) if (m.name === frame.name) this.outbox.settle(m.id);
    members.welcomed(frame.members, frame.room.memberCount);
    for (const member of frame.members) this.#remember(member.name, member.key.pub);
    this.timeline.append(frame.messages);
    for (const m of frame.messages) this.#remember(m.name, m.key.pub);
    void this.outbox.attach(session);
    void members
      .learn(identity)
      .then((fp) => emit(host, 'tiny-chat-ready', { roomId, name: frame.name, fingerprint: fp }));
  }
}
