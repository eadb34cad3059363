/**
 * One room's socket: dial, join with a signed proof, resume from the last
 * sequence number after any drop, reconnect with backoff. It holds no
 * messages and no UI; the room controller listens through a handler.
 *
 * It must never pass on a message twice or skip one (resume.ts decides): a
 * message already held is dropped, and a gap makes it reconnect with `since`,
 * which the server answers with exactly the missing messages.
 * Every join asks the token source afresh (a reconnect after the token expired
 * gets a new one); a refused token is replaced once on the same socket
 * (token.ts), then the socket closes for good rather than loop.
 * While the browser says it is offline it does not dial at all: it waits for
 * the `online` event.
 * The join handshake's rules (what a join carries, when it pays a proof of
 * work, which refusals are final) are in room-join.ts; this file runs them in
 * order on the current socket and dispatches every other frame.
 */
import type { HelloFrame, Limits, MessageFrame, ModerationFrame, ServerFrame } from '../protocol/frames.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { Identity } from './keys.js';
import { Resume } from './resume.js';
import { CLOSED_BY, FATAL_JOIN, joinFrame, socketUrl } from './room-join.js';
import type { ConnectionState, RoomSocketHandler, Session } from './room-session.js';
import { signJoin } from './signing.js';
import { isTokenRefusal, RefusedTokenOnce, type TokenSource } from './token.js';

// The contract lives in room-session.ts; importers of the socket find it here too.
export type { ConnectionState, RoomSocketHandler, Session };

export interface RoomSocketOptions {
  /** The server's http(s) base URL. */
  readonly server: string;
  readonly roomId: string;
  readonly identity: Identity;
  /** The name to join with (the identity may hold none when signed in). */
  readonly name: string;
  readonly handler: RoomSocketHandler;
  readonly backoff?: BackoffOptions;
  /** The sign-in token for each join; none when absent. */
  readonly token?: TokenSource;
  /** Solves the join work of a `hello` that asks for it (pow/work.ts); rejects when the user cancels. */
  readonly solve?: (hello: HelloFrame) => Promise<string>;
}

export class RoomSocket {
  state: ConnectionState = 'offline';
  limits: Limits | undefined;

  readonly #options: RoomSocketOptions;
  readonly #tokens: RefusedTokenOnce;
  readonly #resume = new Resume();
  #socket: WebSocket | undefined;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = true;
  #joined = false;
  #clockOffset = 0;
  /** The current socket's join proof, to join again on it with a fresh token. */
  #joinProof: string | undefined;
  /** The current socket's `hello`, for the join's proof of work; cleared once its work is done, which is once. */
  #hello: HelloFrame | undefined;
  /** A join was welcomed: the key holds its name in the room. */
  #welcomed = false;
  readonly #onOnline = (): void => this.#reconnectNow();
  readonly #onOffline = (): void => this.#drop();

  constructor(options: RoomSocketOptions) {
    this.#options = options;
    this.#tokens = new RefusedTokenOnce(options.token);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    addEventListener('online', this.#onOnline);
    addEventListener('offline', this.#onOffline);
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    removeEventListener('online', this.#onOnline);
    removeEventListener('offline', this.#onOffline);
    clearTimeout(this.#timer);
    this.#detach()?.close(1000);
    this.#setState('closed');
  }

  /** Stops for good and reports `code` (room closed or expired, found out while sending). */
  close(code: string, retryAfterMs?: number): void {
    if (this.state === 'closed') return;
    this.stop();
    this.#options.handler.closed(code, retryAfterMs);
  }

  /** Asks for the page of messages before `before`; false when not joined. */
  loadEarlier(before: number): boolean {
    if (!this.#socket || !this.#joined || before <= 1) return false;
    this.#socket.send(JSON.stringify({ type: 'history', before, limit: this.limits?.historyPage ?? 50 }));
    return true;
  }

  /** Sends an ephemeral frame on the joined socket; false when not joined. */
  sendIfJoined(frame: object): boolean {
    if (!this.#socket || !this.#joined) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  #setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.#options.handler.state(state);
  }

  #open(): void {
    if (this.#stopped) return;
    if (!navigator.onLine) {
      // Dialling now would only fail; the `online` event dials.
      this.#setState('offline');
      return;
    }
    this.#setState('connecting');
    this.#joined = false;
    this.#joinProof = undefined;
    let socket: WebSocket;
    try {
      socket = new WebSocket(socketUrl(this.#options.server));
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    socket.onmessage = (event) => {
      if (this.#socket !== socket || typeof event.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(event.data) as ServerFrame;
      } catch {
        return;
      }
      // A failure while handling (WebCrypto refusing to sign) costs this socket, not the widget.
      this.#handle(frame, socket).catch(() => this.#drop());
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      const wasJoined = this.#joined;
      this.#detach();
      const by = CLOSED_BY[event.code - 4410];
      if (by) return this.close(by);
      if (!wasJoined && this.#attempt >= 2) this.#options.handler.trouble('cannot-connect', 'error', true);
      this.#scheduleReconnect();
    };
  }

  /** Forgets the current socket so that its late events are ignored. */
  #detach(): WebSocket | undefined {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#joined = false;
    return socket;
  }

  /** The network went away: stop using the socket at once rather than wait for TCP to notice. */
  #drop(): void {
    if (this.#stopped || this.state === 'closed') return;
    this.#detach()?.close(1000);
    this.#scheduleReconnect();
  }

  #reconnectNow(): void {
    if (this.#stopped || this.state === 'closed' || this.#socket) return;
    clearTimeout(this.#timer);
    this.#attempt = 0;
    this.#open();
  }

  #scheduleReconnect(): void {
    if (this.#stopped || this.state === 'closed') return;
    this.#setState('offline');
    this.#options.handler.dropped();
    clearTimeout(this.#timer);
    const delay = backoffDelay(this.#attempt++, this.#options.backoff ?? DEFAULT_BACKOFF);
    this.#timer = setTimeout(() => this.#open(), delay);
  }

  async #handle(frame: ServerFrame, socket: WebSocket): Promise<void> {
    const { handler } = this.#options;
    switch (frame.type) {
      case 'hello': {
        this.limits = frame.limits;
        this.#clockOffset = frame.serverTime - Date.now();
        const { identity, roomId } = this.#options;
        const [proof, token] = await Promise.all([signJoin(identity, roomId, frame.nonce), this.#tokens.current()]);
        if (this.#socket !== socket) return;
        this.#joinProof = proof;
        this.#hello = frame;
        // A first anonymous join pays the work up front (room-join.ts).
        if (frame.pow && token === undefined && !this.#welcomed) return this.#joinWithWork(socket);
        this.#sendJoin(socket, token);
        return;
      }
      case 'welcome': {
        const replaced = frame.resume !== 'resumed';
        this.#resume.joined(frame.lastSeq, frame.messages, replaced);
        this.#joined = true;
        this.#welcomed = true;
        this.#attempt = 0;
        this.#tokens.reset();
        const session: Session = {
          name: frame.name,
          clockOffset: this.#clockOffset,
          limits: this.limits!,
          live: () => this.#socket === socket && this.#joined,
          send: (f) => socket.send(JSON.stringify(f)),
        };
        handler.welcome(frame, replaced, session);
        this.#setState('online');
        return;
      }
      case 'message':
      case 'moderation': {
        const taken = this.#resume.take(frame.type === 'message' ? frame : frame.entry);
        // A gap breaks the server's promise; a resume join refills it.
        if (taken === 'gap') this.#drop();
        else if (taken === 'next') handler[frame.type](frame as MessageFrame & ModerationFrame);
        return;
      }
      case 'ack':
        handler.ack(frame.id);
        return;
      case 'presence':
        handler.presence(frame);
        return;
      case 'error':
        if (frame.ref !== 'join') return handler.error(frame);
        if (isTokenRefusal(frame.code)) return this.#rejoinWithFreshToken(frame.code, socket);
        if (FATAL_JOIN.has(frame.code)) return this.close(frame.code, frame.retryAfterMs);
        // Work the server refused once more on this socket: a new socket, a new nonce, after backoff.
        if (frame.code.startsWith('proof-of-work-')) return this.#hello ? this.#joinWithWork(socket) : this.#drop();
        handler.trouble(frame.code, frame.category, frame.temporary);
        return;
      case 'closing':
        // An end by a moderator or the owner comes as its close code (CLOSED_BY) right after.
        if (frame.code === 'room-closed') this.close('room-closed');
        return;
      case 'history':
        handler.history(frame);
        return;
      case 'typing':
        handler.typing(frame.name);
        return;
      case 'members':
        handler.members(frame);
        return;
    }
  }

  /**
   * Joins anonymously with the work of the current socket's `hello` (a first
   * join, or one refused for want of work: a key that lost its name, say).
   */
  async #joinWithWork(socket: WebSocket): Promise<void> {
    const hello = this.#hello!;
    this.#hello = undefined;
    let pow: string;
    try {
      pow = await this.#options.solve!(hello);
    } catch (err) {
      // Cancelled: no join without it, and no dialling until Try again. Failed (the chunk did not load): the
      // error drops the socket (#handle's caller), and the next one, after backoff, tries again.
      if ((err as Error).name === 'AbortError') this.stop();
      throw err;
    }
    if (this.#socket === socket) this.#sendJoin(socket, undefined, pow);
  }

  #sendJoin(socket: WebSocket, token: string | undefined, pow?: string): void {
    socket.send(joinFrame(this.#options, this.#joinProof, this.#resume.since(), token, pow));
  }

  /** The server keeps the socket open after a refused token, so the same join can go again with a new one. */
  async #rejoinWithFreshToken(code: string, socket: WebSocket): Promise<void> {
    const token = await this.#tokens.replace(code);
    if (this.#socket !== socket) return;
    if (token !== undefined) return this.#sendJoin(socket, token);
    this.close(code);
  }
}
