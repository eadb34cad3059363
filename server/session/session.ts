/**
 * One client on its socket: what its frames mean in each state (new,
 * joining, joined, closed) and the room seat it holds once joined. The
 * socket, join, send, history and presence steps each live in their own
 * module; this one sequences them. Frames from one socket are handled one at
 * a time, in the order they arrived, so a client's own messages keep its order.
 *
 * Sends are pipelined: a send's append is issued in its turn, and the next
 * frame is taken without waiting for storage, so a client's sends in flight
 * share one group commit (SQLite) or one round trip (Redis) instead of one
 * each. Every answer still goes out in arrival order: a send's ack waits for
 * the answers before it, and any other frame waits for every send before it.
 *
 * Must never: trust a field before the schema check, handle a frame that
 * needs a join before the welcome, or let one socket's bad input reach another.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { ChatError } from '../../protocol/errors.js';
import type { ClientFrame, JoinFrame, PublicKey, SendFrame } from '../../protocol/frames.js';
import { sameKey } from '../../protocol/moderation.js';
import { TYPING_INTERVAL_MS } from '../../protocol/limits.js';
import type { Context } from '../context.js';
import { publishTyping } from '../fanout/events.js';
import type { Peer } from '../fanout/peer.js';
import type { RoomGroup } from '../fanout/room-group.js';
import type { TokenBucket } from './message-rate.js';
import { joinDeadline } from '../socket/admission.js';
import { ClientSocket, type FrameHandler } from '../socket/client-socket.js';
import { helloFrame, roomInfo, welcomeFrame, type Closing } from '../wire/build.js';
import type { EncodedFrame } from '../wire/encoded-frame.js';
import { parseFrame, refOf } from '../wire/parse.js';
import { isOutage } from '../storage-guard.js';
import { historyPage } from './history.js';
import { admit, notLive, snapshot } from './join.js';
import { membersPage, welcomeMembers } from './members.js';
import { moderate } from './moderate.js';
import { AnswerQueue } from './answers.js';
import { addPresence, removePresence } from './presence.js';
import { answerSend, checkSend, storeSend, type CheckedSend, type Sender } from './send.js';

type State = 'new' | 'joining' | 'joined' | 'closed';

/** A frame as parsed on arrival: the frame and, for a send, its pending checks; or why it was refused. */
type Arrived =
  { frame: ClientFrame; ref: string; checked?: Promise<CheckedSend> } | { error: unknown; ref: string | undefined };

export class Session implements Peer, FrameHandler<Arrived> {
  readonly connId: string;
  lastSeq = 0;
  welcomed = false;
  followsMembers = false;

  readonly #socket: ClientSocket;
  readonly #ctx: Context;
  readonly #log: FastifyBaseLogger;
  /** The join's proof-of-work challenge; dropped once joined, when no join can come any more. */
  #nonce = randomBytes(32).toString('base64url');
  #state: State = 'new';
  /** The room this socket joined and who it is there; set from the join on. */
  #seat: Sender | undefined;
  #group: RoomGroup | undefined;
  #present = false;
  /** When this socket's last typing frame was forwarded (server clock). */
  #typingAt = -Infinity;
  readonly #rate: TokenBucket;
  /** The answers of the sends in flight, in arrival order. */
  readonly #answers = new AnswerQueue();
  /** Closes a socket that has not joined in time; cleared on the join or the close. */
  #joinDeadline: NodeJS.Timeout | undefined;

  constructor(ws: WebSocket, ctx: Context, log: FastifyBaseLogger) {
    this.#ctx = ctx;
    this.#log = log;
    this.connId = `${ctx.options.instanceId}.${ctx.nextConnId()}`;
    this.#rate = ctx.security.messages.connectionBucket();
    const { closeGraceMs, joinTimeoutMs } = ctx.security.config;
    this.#socket = new ClientSocket(ws, ctx.sockets, log, this.connId);
    ctx.connections.add(this.#socket);
    this.#joinDeadline = joinDeadline(ws, () => this.roomId !== '', joinTimeoutMs, closeGraceMs);
    this.#socket.listen(this);
    this.#socket.sendFrame(
      helloFrame(this.#nonce, ctx.options.clock.now(), ctx.options.limits, ctx.security.pow.difficulty),
    );
  }

  get roomId(): string {
    return this.#seat?.roomId ?? '';
  }

  send(data: string | EncodedFrame): void {
    this.#socket.send(data);
  }

  closeWith(c: Closing): void {
    this.#socket.closeWith(c);
  }

  hasKey(key: PublicKey): boolean {
    return this.#seat !== undefined && sameKey(this.#seat.key, key);
  }

  /**
   * Parses a frame and, for a send, runs its checks and starts its signature
   * check. Only on a joined socket, so that the signatures of a burst are
   * verified together on the verify threads; each frame is still stored and
   * answered in its turn.
   */
  arrive(data: string | undefined): Arrived | undefined {
    return this.#state === 'joined' ? this.#parse(data) : undefined;
  }

  #parse(data: string | undefined): Arrived {
    let ref: string | undefined;
    try {
      if (data === undefined) throw new ChatError('invalid-frame', 'Frames must be text, not binary.');
      const frame = parseFrame(data, this.#ctx.options.limits.maxFrameBytes);
      ref = frame.type === 'send' || frame.type === 'moderate' ? frame.id : frame.type;
      if (frame.type !== 'send') return { frame, ref };
      if (this.#state !== 'joined' || !this.#seat) throw new ChatError('not-joined');
      const checked = checkSend(this.#ctx, this.#seat, frame);
      // Answered in its turn; a socket that closes first never asks.
      checked.catch(() => undefined);
      return { frame, ref, checked };
    } catch (err) {
      // A frame refused by its schema still names what it answers when its type (and id) can be read.
      return {
        error: err,
        ref: ref ?? (err instanceof ChatError && err.code === 'invalid-frame' ? refOf(data) : undefined),
      };
    }
  }

  async handle(data: string | undefined, early: Arrived | undefined): Promise<void> {
    if (this.#state === 'closed') return;
    const arrived = early ?? this.#parse(data);
    if ('error' in arrived) {
      await this.#answers.settled();
      return this.#socket.fail(arrived.error, arrived.ref);
    }
    const { frame } = arrived;
    try {
      if (frame.type === 'send') return await this.#send(frame, arrived.checked!, arrived.ref);
      // Every other answer comes after those of the sends before it (typing has none).
      if (frame.type !== 'typing') await this.#answers.settled();
      switch (frame.type) {
        case 'join':
          return await this.#join(frame);
        case 'history':
          return this.#socket.sendFrame(await historyPage(this.#ctx, this.#joined().roomId, frame));
        case 'typing':
          return await this.#typing();
        case 'members': {
          const { name, key } = this.#joined();
          return this.#socket.sendFrame(membersPage(this.#group!, this, { name, key }, frame));
        }
        case 'moderate':
          return await moderate(this.#ctx, this.#joined(), frame, (f) => this.#socket.sendFrame(f));
      }
    } catch (err) {
      // A refused send is answered after the sends before it, like an ack.
      await this.#answers.settled();
      this.#socket.fail(err, arrived.ref);
    }
  }

  /**
   * Waits for the send's checks, issues its append, and returns: its answer
   * is chained after the answers before it and goes out once storage replies.
   */
  async #send(frame: SendFrame, checked: Promise<CheckedSend>, ref: string): Promise<void> {
    const ok = await checked;
    const seat = this.#joined();
    if (this.#answers.full) await this.#answers.room();
    this.#answers.push(
      storeSend(this.#ctx, seat, frame, ok),
      (result) => answerSend(this.#ctx, seat, frame, result, (f) => this.#socket.sendFrame(f)),
      (err) => this.#socket.fail(err, ref),
    );
  }

  /** The seat of a joined socket; refuses the frame otherwise. */
  #joined(): Sender {
    if (this.#state !== 'joined' || !this.#seat) throw new ChatError('not-joined');
    return this.#seat;
  }

  async #join(frame: JoinFrame): Promise<void> {
    if (this.#state !== 'new') throw new ChatError('already-joined');
    const admitted = await admit(this.#ctx, this.#nonce, frame);
    if (this.#state !== 'new') return; // closed while binding

    this.#state = 'joining';
    const { room, name, key, user } = admitted;
    const group = this.#ctx.hub.attach(room.id, this);
    this.#group = group;
    const seat: Sender = { roomId: room.id, name, key, user, rate: this.#rate, rules: group.rules };
    this.#seat = seat;
    group.rules.note(room.staff.slowModeMs, room.lastSeq);
    const listening = this.#ctx.hub.listening(seat.roomId);
    try {
      // Once this instance hears the room, every change stored after that is heard too: the snapshot
      // and the member list below are read after it, so nothing falls between them and the welcome.
      await listening;
      const entry = { connId: this.connId, name, key };
      const presence = await addPresence(this.#ctx, seat.roomId, entry);
      if (presence.status !== 'ok') throw notLive(presence);
      this.#present = true;
      // Storage refuses the snapshot for a room that went meanwhile: no second room read is needed.
      const snap = await snapshot(this.#ctx, seat.roomId, frame.since, frame.chain);
      await group.membersReady();
      if (this.#state !== 'joining') return; // closed meanwhile; cleanup runs next
      const { members, count } = welcomeMembers(group, this, { name, key });
      // This socket's own presence is live, so the room has a connection and no idle deadline.
      const info = roomInfo({ ...room, connections: Math.max(1, room.connections), memberCount: count });
      const { messages, firstSeq, lastSeq, resume } = snap;
      this.#socket.sendFrame(welcomeFrame({ room: info, name, members, messages, firstSeq, lastSeq, resume }));
      // Synchronously after the welcome, so no message can fall between the two.
      const top = messages.at(-1);
      group.welcome(this, lastSeq, top?.seq === lastSeq ? top.chain : undefined);
      this.#state = 'joined';
      this.#nonce = '';
      this.#clearJoinDeadline();
      this.#ctx.metrics?.joins.inc();
      this.#ctx.metrics?.resumes.inc({ outcome: resume });
    } catch (err) {
      await this.#leave();
      this.#seat = undefined;
      this.#state = 'new';
      throw err;
    }
  }

  /** Forwards "typing" to the room's other sockets, at most once per interval; faster ones are dropped unanswered. */
  async #typing(): Promise<void> {
    const seat = this.#joined();
    const now = this.#ctx.options.clock.now();
    if (now - this.#typingAt < TYPING_INTERVAL_MS) return;
    this.#typingAt = now;
    await publishTyping(this.#ctx.options.bus, seat.roomId, seat.name, this.connId);
  }

  async restorePresence(): Promise<void> {
    const seat = this.#seat;
    if (this.#state !== 'joined' || !this.#present || !seat) return;
    // A room that is gone is closed by the sweep that found it; nothing to restore.
    const entry = { connId: this.connId, name: seat.name, key: seat.key };
    const presence = await addPresence(this.#ctx, seat.roomId, entry);
    if (presence.status === 'ok' && presence.first) {
      this.#log.warn(
        { connId: this.connId, roomId: seat.roomId },
        'presence was lost while the socket lived; restored',
      );
    }
  }

  /** Leaves the room group and the presence list; announces a leave if this was the name's last socket. */
  async #leave(): Promise<void> {
    const roomId = this.roomId;
    if (this.#group) this.#ctx.hub.detach(roomId, this);
    this.#group = undefined;
    this.welcomed = false;
    if (!this.#present) return;
    this.#present = false;
    await removePresence(this.#ctx, roomId, this.connId);
  }

  #clearJoinDeadline(): void {
    clearTimeout(this.#joinDeadline);
    this.#joinDeadline = undefined;
  }

  async closed(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#clearJoinDeadline();
    this.#ctx.connections.delete(this.#socket);
    // Sends already stored or storing are answered (into a closed socket, which drops them) before this
    // socket counts as gone, so that a shutdown never closes storage under an append.
    await this.#answers.settled();
    try {
      await this.#leave();
    } catch (err) {
      // During a storage outage this is expected (and logged once by the guard).
      const level = isOutage(err) ? 'debug' : 'warn';
      this.#log[level]({ err, connId: this.connId }, 'leaving the room failed; presence will expire');
    }
  }
}
