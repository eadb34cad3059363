/**
 * One client socket: the join handshake, sends, history pages, and every
 * refusal on the way. Frames from one socket are handled one at a time, in
 * the order they arrived, so a client's own messages keep its order.
 *
 * Must never: acknowledge a message before storage holds it, trust a field
 * before the schema check, or let one socket's bad input reach another.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import type { MessagePage, NotLive, PresenceResult } from '../adapters/types.js';
import { joinSigningBytes, messageSigningBytes } from '../protocol/canonical.js';
import { ChatError } from '../protocol/errors.js';
import type {
  AckFrame,
  ClientFrame,
  ClosingFrame,
  HelloFrame,
  HistoryFrame,
  HistoryPageFrame,
  JoinFrame,
  PublicKey,
  SendFrame,
  ServerFrame,
  WelcomeFrame,
} from '../protocol/frames.js';
import { PROTOCOL_VERSION } from '../protocol/frames.js';
import { TYPING_INTERVAL_MS } from '../protocol/limits.js';
import { codePointLength, isWellFormed } from '../protocol/text.js';
import type { Context } from './context.js';
import type { EncodedFrame } from './encoded-frame.js';
import type { Peer, RoomGroup } from './hub.js';
import { importKey, verifySignature, type VerifyKey } from './keys.js';
import { errorFrame } from './error-frame.js';
import { closeFor, sendBounded } from './limits.js';
import type { TokenBucket } from './rate-limit.js';
import { normalizeName } from '../protocol/names.js';
import { nameCandidates } from './names.js';
import { verifyPool } from './verify-pool.js';
import { parseFrame } from './parse.js';
import { roomInfo } from './rooms.js';
import { joinIdentity } from './security.js';

type State = 'new' | 'joining' | 'joined' | 'closed';

/** Frames read but not yet handled: above the high mark the socket stops reading until the low mark. */
const QUEUE_HIGH = 64;
const QUEUE_LOW = 16;

/** Frames that are not even well-formed: a client that keeps sending them is broken or hostile. */
const GARBAGE: ReadonlySet<string> = new Set(['malformed-json', 'unknown-type', 'invalid-frame', 'frame-too-large']);

export class Connection implements Peer {
  readonly connId: string;
  lastSeq = 0;
  welcomed = false;
  /** Set by the ping timer; a socket still not alive at the next ping is dropped. */
  alive = true;

  readonly #socket: WebSocket;
  readonly #ctx: Context;
  readonly #log: FastifyBaseLogger;
  readonly #nonce = randomBytes(32).toString('base64url');
  #state: State = 'new';
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #badFrames: number[] = [];
  #roomId = '';
  #name = '';
  #key: PublicKey | undefined;
  #verifyKey: VerifyKey | undefined;
  #group: RoomGroup | undefined;
  #present = false;
  /** When this socket's last typing frame was forwarded (server clock). */
  #typingAt = -Infinity;
  /** Whose message budget this socket spends: the verified subject, else the public key. */
  #user = '';
  readonly #rate: TokenBucket;

  constructor(socket: WebSocket, ctx: Context, log: FastifyBaseLogger) {
    this.#socket = socket;
    this.#ctx = ctx;
    this.#log = log;
    this.connId = `${ctx.options.instanceId}.${ctx.nextConnId()}`;
    this.#rate = ctx.security.messages.connectionBucket();
    ctx.connections.add(this);
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? undefined : data.toString();
      // On a joined socket a frame is checked as it arrives, so the signatures of a
      // burst are verified together on the verify threads; each frame is still
      // stored and answered in its turn.
      const early = this.#state === 'joined' ? this.#arrive(text) : undefined;
      // Backpressure: a client sending faster than frames are handled is
      // slowed down by TCP rather than queued in memory without bound.
      if (++this.#queued === QUEUE_HIGH) socket.pause();
      this.#queue = this.#queue
        .then(() => this.#handle(text, early))
        .finally(() => {
          if (--this.#queued === QUEUE_LOW) socket.resume();
        });
    });
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('close', () => {
      this.#queue = this.#queue.then(() => this.#cleanup());
    });
    socket.on('error', (err) => log.debug({ err }, 'socket error'));
    const { limits } = ctx.options;
    this.#sendFrame({
      type: 'hello',
      v: PROTOCOL_VERSION,
      nonce: this.#nonce,
      serverTime: ctx.options.clock.now(),
      limits: {
        maxTextLength: limits.maxTextLength,
        maxFrameBytes: limits.maxFrameBytes,
        historyCap: limits.historyCap,
        clockSkewMs: limits.clockSkewMs,
        historyPage: limits.historyPage,
      },
    } satisfies HelloFrame);
  }

  get roomId(): string {
    return this.#roomId;
  }

  send(data: string | EncodedFrame): void {
    sendBounded(this.#socket, data, this.#ctx.security.config.maxBufferedBytes);
  }

  closeWith(frame: ClosingFrame, closeCode: number): void {
    this.#sendFrame(frame);
    this.#socket.close(closeCode, frame.code);
  }

  /** Drops a socket that missed a pong; its close handler removes its presence. */
  terminate(): void {
    this.#socket.terminate();
  }

  ping(): void {
    this.alive = false;
    this.#socket.ping();
  }

  /** Parses a frame and, for a send, runs its checks and starts its signature check. */
  #arrive(data: string | undefined): Arrived {
    let ref: string | undefined;
    try {
      if (data === undefined) throw new ChatError('invalid-frame', 'Frames must be text, not binary.');
      const frame = parseFrame(data, this.#ctx.options.limits.maxFrameBytes);
      ref = frame.type === 'send' ? frame.id : frame.type;
      if (frame.type !== 'send') return { frame, ref };
      const checked = this.#checkSend(frame);
      // Answered in its turn; a socket that closes first never asks.
      checked.catch(() => undefined);
      return { frame, ref, checked };
    } catch (err) {
      return { error: err, ref };
    }
  }

  async #handle(data: string | undefined, early: Arrived | undefined): Promise<void> {
    if (this.#state === 'closed') return;
    const arrived = early ?? this.#arrive(data);
    if ('error' in arrived) return this.#fail(arrived.error, arrived.ref);
    const { frame } = arrived;
    try {
      switch (frame.type) {
        case 'join':
          return await this.#join(frame);
        case 'send':
          return await this.#sendMessage(frame, arrived.checked!);
        case 'history':
          return await this.#history(frame);
        case 'typing':
          return await this.#typing();
      }
    } catch (err) {
      this.#fail(err, arrived.ref);
    }
  }

  #fail(err: unknown, ref: string | undefined): void {
    if (!(err instanceof ChatError)) {
      this.#log.error({ err, connId: this.connId }, 'frame handling failed');
      err = new ChatError('internal');
    }
    const e = err as ChatError;
    this.#sendFrame(errorFrame(e, ref));
    if (GARBAGE.has(e.code) && this.#tooManyBadFrames()) closeFor(this.#socket, 'too-many-errors');
  }

  #tooManyBadFrames(): boolean {
    const { maxBadFrames, badFrameWindowMs } = this.#ctx.options.limits;
    const now = Date.now();
    this.#badFrames.push(now);
    while (this.#badFrames.length > 0 && this.#badFrames[0]! <= now - badFrameWindowMs) this.#badFrames.shift();
    return this.#badFrames.length > maxBadFrames;
  }

  async #join(frame: JoinFrame): Promise<void> {
    if (this.#state !== 'new') throw new ChatError('already-joined');
    const verifyKey = importKey(frame.key);
    if (!verifyKey) throw new ChatError('bad-key');
    const proofBytes = joinSigningBytes({
      roomId: frame.roomId,
      nonce: this.#nonce,
      alg: frame.key.alg,
      pub: frame.key.pub,
    });
    if (!verifySignature(verifyKey, proofBytes, frame.proof)) throw new ChatError('bad-proof');
    const { storage, clock } = this.#ctx.options;
    const target = await storage.getRoom(frame.roomId, clock.now());
    if (target.status !== 'live') throw roomError(target);
    // A signed-in member is shown under the name its issuer vouches for, and its key is bound to it.
    const identity = await joinIdentity(this.#ctx.security, frame.token, target.room);
    const wished = normalizeName(identity?.name ?? frame.name);
    if (!wished) throw new ChatError('name-invalid');

    const bound = await storage.bindName(
      frame.roomId,
      { key: frame.key, candidates: nameCandidates(wished), subject: identity?.subject },
      clock.now(),
    );
    if (bound.status !== 'bound') {
      if (bound.status === 'names-taken' || bound.status === 'subject-mismatch')
        throw new ChatError('name-unavailable');
      throw roomError(bound);
    }
    if (this.#state !== 'new') return; // closed while binding

    this.#state = 'joining';
    this.#roomId = frame.roomId;
    this.#name = bound.name;
    this.#key = { alg: frame.key.alg, pub: frame.key.pub };
    this.#user = identity?.subject ?? `${frame.key.alg}:${frame.key.pub}`;
    this.#verifyKey = verifyKey;
    this.#group = this.#ctx.hub.attach(frame.roomId, this);
    try {
      const presence = await this.#addPresence(this.#key);
      if (presence.status !== 'ok') throw roomError(presence);
      this.#present = true;
      const snapshot = await this.#snapshot(frame.since);
      const room = await storage.getRoom(this.#roomId, clock.now());
      if (room.status !== 'live') throw roomError(room);
      await this.#group.syncMembers();
      if (this.#state !== 'joining') return; // closed meanwhile; cleanup runs next
      const members = this.#group.members();
      const welcome: WelcomeFrame = {
        type: 'welcome',
        room: { ...roomInfo(room.room), memberCount: members.length },
        name: this.#name,
        members,
        messages: snapshot.messages,
        firstSeq: snapshot.firstSeq,
        lastSeq: snapshot.lastSeq,
        resume: snapshot.resume,
      };
      this.#sendFrame(welcome);
      // Synchronously after the welcome, so no message can fall between the two.
      this.#group.welcome(this, snapshot.lastSeq);
      this.#state = 'joined';
    } catch (err) {
      await this.#leave();
      this.#state = 'new';
      throw err;
    }
  }

  async #snapshot(since: number | undefined): Promise<MessagePage & { resume: WelcomeFrame['resume'] }> {
    const { storage, clock, limits } = this.#ctx.options;
    let resume: WelcomeFrame['resume'] = 'fresh';
    if (since !== undefined) {
      const missed = await storage.readMessages(this.#roomId, { after: since, limit: limits.historyCap }, clock.now());
      if (!('messages' in missed)) throw roomError(missed);
      if (since > missed.lastSeq) resume = 'ahead';
      else if (missed.firstSeq > since + 1) resume = 'history-gone';
      else return { ...missed, resume: 'resumed' };
    }
    const latest = await storage.readMessages(this.#roomId, { limit: limits.historyPage }, clock.now());
    if (!('messages' in latest)) throw roomError(latest);
    return { ...latest, resume };
  }

  /** Every check of a send, the signature's on the verify threads. */
  #checkSend(frame: SendFrame): Promise<CheckedSend> {
    if (this.#state !== 'joined' || !this.#key || !this.#verifyKey) throw new ChatError('not-joined');
    // Before any other check: a refused message must cost the server as little as possible.
    this.#ctx.security.messages.take(this.#rate, this.#user);
    if (frame.sig === undefined) throw new ChatError('unsigned');
    if (frame.roomId !== this.#roomId) throw new ChatError('wrong-room');
    const { clock, limits } = this.#ctx.options;
    if (!isWellFormed(frame.text) || frame.text.trim().length === 0) throw new ChatError('text-invalid');
    const length = codePointLength(frame.text);
    if (length > limits.maxTextLength) {
      throw new ChatError('text-too-long', undefined, { maxTextLength: limits.maxTextLength, length });
    }
    const now = clock.now();
    if (Math.abs(frame.ts - now) > limits.clockSkewMs) {
      throw new ChatError('clock-skew', undefined, { serverTime: now, clockSkewMs: limits.clockSkewMs });
    }
    const bytes = messageSigningBytes({
      roomId: this.#roomId,
      name: this.#name,
      id: frame.id,
      ts: frame.ts,
      text: frame.text,
    });
    const key = this.#key;
    const sig = frame.sig;
    return verifyPool()
      .verify(key.alg, key.pub, bytes, sig)
      .then((ok) => {
        if (!ok) throw new ChatError('bad-signature');
        return { now, sig, key };
      });
  }

  async #sendMessage(frame: SendFrame, checked: Promise<CheckedSend>): Promise<void> {
    const { now, sig, key } = await checked;
    const { storage, limits } = this.#ctx.options;
    const result = await storage.appendMessage(
      this.#roomId,
      { id: frame.id, name: this.#name, ts: frame.ts, text: frame.text, sig, key, at: now },
      { cap: limits.historyCap, now, dedupeWindowMs: this.#ctx.dedupeWindowMs },
    );
    switch (result.status) {
      case 'stored':
        this.#sendFrame(ack(result.message.seq, frame.id, result.message.at, false));
        await storage.publish(this.#roomId, { kind: 'message', message: result.message });
        return;
      case 'duplicate':
        this.#sendFrame(ack(result.message.seq, frame.id, result.message.at, true));
        return;
      case 'conflict':
        throw new ChatError('replay');
      default:
        throw roomError(result);
    }
  }

  async #history(frame: HistoryFrame): Promise<void> {
    if (this.#state !== 'joined') throw new ChatError('not-joined');
    const { storage, clock, limits } = this.#ctx.options;
    const limit = Math.min(frame.limit ?? limits.historyPage, limits.historyCap);
    const page = await storage.readMessages(this.#roomId, { before: frame.before, limit }, clock.now());
    if (!('messages' in page)) throw roomError(page);
    this.#sendFrame({
      type: 'history',
      before: frame.before,
      messages: page.messages,
      firstSeq: page.firstSeq,
    } satisfies HistoryPageFrame);
  }

  /** Forwards "typing" to the room's other sockets, at most once per interval; faster ones are dropped unanswered. */
  async #typing(): Promise<void> {
    if (this.#state !== 'joined') throw new ChatError('not-joined');
    const now = this.#ctx.options.clock.now();
    if (now - this.#typingAt < TYPING_INTERVAL_MS) return;
    this.#typingAt = now;
    await this.#ctx.options.storage.publish(this.#roomId, { kind: 'typing', name: this.#name, connId: this.connId });
  }

  async restorePresence(): Promise<void> {
    if (this.#state !== 'joined' || !this.#present || !this.#key) return;
    // A room that is gone is closed by the sweep that found it; nothing to restore.
    const presence = await this.#addPresence(this.#key);
    if (presence.status === 'ok' && presence.first) {
      this.#log.warn(
        { connId: this.connId, roomId: this.#roomId },
        'presence was lost while the socket lived; restored',
      );
    }
  }

  /** Records this socket's presence; announces a join when it is the name's first live socket. */
  async #addPresence(key: PublicKey): Promise<PresenceResult> {
    const { storage, clock } = this.#ctx.options;
    const entry = { connId: this.connId, name: this.#name, key };
    const presence = await storage.addPresence(this.#roomId, entry, clock.now(), this.#ctx.presenceTtlMs);
    if (presence.status === 'ok' && presence.first) {
      await storage.publish(this.#roomId, {
        kind: 'presence',
        event: 'join',
        name: this.#name,
        key,
        memberCount: presence.memberCount,
      });
    }
    return presence;
  }

  /** Leaves the room group and the presence list; publishes a leave if this was the name's last socket. */
  async #leave(): Promise<void> {
    if (this.#group) this.#ctx.hub.detach(this.#roomId, this);
    this.#group = undefined;
    this.welcomed = false;
    if (!this.#present) return;
    this.#present = false;
    const { storage, clock } = this.#ctx.options;
    const removed = await storage.removePresence(this.#roomId, this.connId, clock.now());
    if (removed?.last) {
      await storage.publish(this.#roomId, {
        kind: 'presence',
        event: 'leave',
        name: removed.name,
        key: removed.key,
        memberCount: removed.memberCount,
      });
    }
  }

  async #cleanup(): Promise<void> {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#ctx.connections.delete(this);
    try {
      await this.#leave();
    } catch (err) {
      this.#log.warn({ err, connId: this.connId }, 'leaving the room failed; presence will expire');
    }
  }

  #sendFrame(frame: ServerFrame): void {
    this.send(JSON.stringify(frame));
  }
}

/** A send that passed every check: its receive time, signature and the key it was verified with. */
interface CheckedSend {
  now: number;
  sig: string;
  key: PublicKey;
}

/** A frame as parsed on arrival: the frame and, for a send, its pending checks; or why it was refused. */
type Arrived =
  { frame: ClientFrame; ref: string; checked?: Promise<CheckedSend> } | { error: unknown; ref: string | undefined };

function ack(seq: number, id: string, at: number, duplicate: boolean): AckFrame {
  return { type: 'ack', id, seq, at, duplicate };
}

function roomError(r: NotLive): ChatError {
  return new ChatError(r.status === 'missing' ? 'room-not-found' : 'room-expired', undefined, {
    ...(r.status === 'gone' ? { reason: r.reason } : {}),
  });
}
