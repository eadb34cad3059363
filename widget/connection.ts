/**
 * One room connection: the socket, join with a signed proof, resume from the
 * last sequence number after any drop, and the outbox of messages not yet
 * acknowledged. It owns no UI; the element listens through callbacks.
 *
 * It must never show a message twice or skip one: every message with a seq at
 * or below `lastSeq` is dropped, and a gap makes it reconnect with `since`,
 * which the server answers with exactly the missing messages.
 * An outbox entry is stamped (ts) and signed when it first goes out, not when
 * it is typed, so a long time offline does not make the server refuse it for
 * clock skew; from then on it keeps its id, ts, text and signature for life,
 * so a resend after a reconnect is stored once (the server dedupes on id).
 * With a store, the outbox is kept in IndexedDB and restored on start, so a
 * reload resends each entry with the id and stamp it first went out with. An
 * entry whose stamp the server can no longer take (older than its clock-skew
 * window, or signed under another name or key) is never resent as is: it is
 * shown as failed, and retry() stamps it afresh under a new id.
 * Every join asks the token source afresh (a reconnect after the token expired
 * gets a new one); a refused token is replaced once on the same socket, then
 * the connection closes rather than loop.
 */
import { encodeBase64url } from '../protocol/base64url.js';
import type {
  ChatMessage,
  ErrorFrame,
  HistoryPageFrame,
  Limits,
  PresenceFrame,
  ServerFrame,
  WelcomeFrame,
} from '../protocol/frames.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { publicKeyOf, type Identity } from './keys.js';
import type { OutboxStore, StoredOutgoing } from './outbox-store.js';
import { signJoin, signMessage } from './signing.js';
import { isTokenRefusal, type TokenSource } from './token.js';

export type ConnectionState = 'connecting' | 'online' | 'offline' | 'closed';

export interface Outgoing {
  readonly id: string;
  readonly text: string;
  /** Client time, set when the entry is first signed for sending. */
  ts?: number;
  sig?: string;
  /** The name and public key the signature was made under. */
  name?: string;
  pub?: string;
  /** The one stamping and signing of this entry, shared by every flush. */
  signing?: Promise<void>;
  status: 'queued' | 'sending' | 'failed';
  /** The error code that made it fail; `expired` when its stamp can no longer be sent. */
  error?: string;
}

export interface ConnectionCallbacks {
  state(state: ConnectionState): void;
  /** `replaced`: the messages are a fresh snapshot, not a continuation of what the client held. */
  welcome(frame: WelcomeFrame, replaced: boolean): void;
  message(message: ChatMessage): void;
  presence(frame: PresenceFrame): void;
  /** A page of older messages, asked for with loadEarlier(). */
  history(frame: HistoryPageFrame): void;
  error(code: string, category: string, temporary: boolean): void;
  outbox(): void;
}

export interface ConnectionOptions {
  /** The server's http(s) base URL. */
  readonly server: string;
  readonly roomId: string;
  readonly identity: Identity;
  /** The name to join with (the identity may hold none when signed in). */
  readonly name: string;
  readonly callbacks: ConnectionCallbacks;
  readonly backoff?: BackoffOptions;
  /** The sign-in token for each join; none when absent. */
  readonly token?: TokenSource;
  /** Where the outbox outlives the page; in memory only when absent. */
  readonly store?: OutboxStore;
}

/** Refusals after which the same stamp cannot pass: a retry needs a new stamp, hence a new id. */
const RESTAMP = new Set(['expired', 'clock-skew', 'bad-signature']);

/** Kept off the server's skew limit, as the clock offset measured at hello is itself a little off. */
const SKEW_MARGIN_MS = 30_000;

/** Join errors after which retrying the same join cannot succeed. */
const FATAL_JOIN = new Set([
  'room-not-found',
  'room-expired',
  'name-invalid',
  'name-unavailable',
  'bad-key',
  'bad-proof',
]);

export function newMessageId(): string {
  return encodeBase64url(crypto.getRandomValues(new Uint8Array(16)));
}

export function socketUrl(server: string): string {
  const url = new URL('/ws', server);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

export class ChatConnection {
  state: ConnectionState = 'offline';
  /** The name the server assigned in this room; undefined before the first welcome. */
  name: string | undefined;
  lastSeq = 0;
  limits: Limits | undefined;
  readonly outbox: Outgoing[] = [];
  /** The stored outbox has been read back; until then nothing is sent or saved. */
  private restored = false;

  private socket: WebSocket | undefined;
  private sentOnSocket = new Set<string>();
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private joined = false;
  /** serverTime − local time, from hello, so `ts` passes the server's skew check. */
  private clockOffset = 0;
  /** The current socket's join proof and the token last sent with it, to join again with a fresh token. */
  private joinProof: string | undefined;
  private sentToken: string | undefined;
  /** A refused token was already replaced once since the last welcome. */
  private tokenRetried = false;
  private readonly onOnline = (): void => this.reconnectNow();
  private readonly onOffline = (): void => this.drop();

  constructor(private readonly options: ConnectionOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    addEventListener('online', this.onOnline);
    addEventListener('offline', this.onOffline);
    this.open();
    void this.restore();
  }

  private async restore(): Promise<void> {
    const { store } = this.options;
    const stored = store ? await store.load().catch(() => []) : [];
    const known = new Set(this.outbox.map((o) => o.id));
    // Restored entries were typed before anything typed since the start.
    this.outbox.unshift(...stored.filter((s) => !known.has(s.id)).map((s): Outgoing => ({ ...s })));
    this.restored = true;
    this.changed();
    return this.flush();
  }

  stop(): void {
    this.stopped = true;
    removeEventListener('online', this.onOnline);
    removeEventListener('offline', this.onOffline);
    clearTimeout(this.timer);
    this.detach()?.close(1000);
    this.setState('closed');
  }

  /** Queues a message; it goes out now if online, else after the next join. */
  send(text: string): Outgoing {
    const item: Outgoing = { id: newMessageId(), text, status: 'queued' };
    this.outbox.push(item);
    this.changed();
    void this.flush();
    return item;
  }

  /**
   * Sends a failed entry again: with the same id and stamp while the server can
   * still take them (it dedupes on the id), else stamped afresh under a new id.
   * Returns the id it goes out with; undefined when there is no such failed entry.
   */
  retry(id: string): string | undefined {
    const i = this.outbox.findIndex((o) => o.id === id && o.status === 'failed');
    const old = this.outbox[i];
    if (!old) return undefined;
    const keep = old.sig === undefined || (!RESTAMP.has(old.error ?? '') && this.sendable(old));
    const item: Outgoing = keep
      ? { ...old, status: 'queued', error: undefined }
      : { id: newMessageId(), text: old.text, status: 'queued' };
    if (old.sig === undefined) item.signing = undefined;
    this.outbox.splice(i, 1, item);
    this.sentOnSocket.delete(old.id);
    this.changed();
    void this.flush();
    return item.id;
  }

  /** Drops a failed entry for good; false when there is no such failed entry. */
  dismiss(id: string): boolean {
    const i = this.outbox.findIndex((o) => o.id === id && o.status === 'failed');
    if (i < 0) return false;
    this.outbox.splice(i, 1);
    this.changed();
    return true;
  }

  /** Asks for the page of messages before `before`; false when not joined. */
  loadEarlier(before: number): boolean {
    if (!this.socket || !this.joined || before <= 1) return false;
    this.socket.send(JSON.stringify({ type: 'history', before, limit: this.limits?.historyPage ?? 50 }));
    return true;
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.callbacks.state(state);
  }

  private open(): void {
    if (this.stopped) return;
    this.setState('connecting');
    this.joined = false;
    this.joinProof = undefined;
    this.sentOnSocket = new Set();
    let socket: WebSocket;
    try {
      socket = new WebSocket(socketUrl(this.options.server));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onmessage = (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      let frame: ServerFrame;
      try {
        frame = JSON.parse(event.data) as ServerFrame;
      } catch {
        return;
      }
      // A failure while handling (WebCrypto refusing to sign) costs this socket, not the widget.
      this.handle(frame).catch(() => this.drop());
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (event.code === 4410) return this.close('room-closed');
      if (!this.joined && this.attempt >= 2) this.options.callbacks.error('cannot-connect', 'error', true);
      this.scheduleReconnect();
    };
  }

  /** Forgets the current socket so that its late events are ignored. */
  private detach(): WebSocket | undefined {
    const socket = this.socket;
    this.socket = undefined;
    this.joined = false;
    return socket;
  }

  /** The network went away: stop using the socket at once rather than wait for TCP to notice. */
  private drop(): void {
    if (this.stopped || this.state === 'closed') return;
    this.detach()?.close(1000);
    this.scheduleReconnect();
  }

  private reconnectNow(): void {
    if (this.stopped || this.state === 'closed' || this.socket) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.open();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.state === 'closed') return;
    this.setState('offline');
    for (const item of this.outbox) if (item.status === 'sending') item.status = 'queued';
    this.changed();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.open(), backoffDelay(this.attempt++, this.options.backoff ?? DEFAULT_BACKOFF));
  }

  private close(code: string): void {
    this.options.callbacks.error(code, 'invalid', false);
    this.stopped = true;
    clearTimeout(this.timer);
    this.detach()?.close(1000);
    this.setState('closed');
  }

  private async handle(frame: ServerFrame): Promise<void> {
    const socket = this.socket;
    switch (frame.type) {
      case 'hello': {
        this.limits = frame.limits;
        this.clockOffset = frame.serverTime - Date.now();
        const { identity, roomId } = this.options;
        const [proof, token] = await Promise.all([signJoin(identity, roomId, frame.nonce), this.options.token?.()]);
        if (this.socket !== socket || !socket) return;
        this.joinProof = proof;
        this.sendJoin(socket, token);
        return;
      }
      case 'welcome': {
        const replaced = frame.resume !== 'resumed';
        this.name = frame.name;
        this.lastSeq = frame.lastSeq;
        this.joined = true;
        this.attempt = 0;
        this.tokenRetried = false;
        // Sent before a drop or a reload, stored, but never acknowledged: done.
        for (const m of frame.messages) if (m.name === frame.name) this.settle(m.id);
        this.options.callbacks.welcome(frame, replaced);
        this.setState('online');
        return this.flush();
      }
      case 'message':
        if (frame.seq <= this.lastSeq) return;
        if (frame.seq > this.lastSeq + 1) {
          // A gap breaks the server's promise; a resume join refills it.
          this.drop();
          return;
        }
        this.lastSeq = frame.seq;
        if (frame.name === this.name) this.settle(frame.id);
        this.options.callbacks.message(frame);
        return;
      case 'ack':
        this.settle(frame.id);
        return;
      case 'presence':
        this.options.callbacks.presence(frame);
        return;
      case 'error':
        return this.onError(frame);
      case 'closing':
        if (frame.code === 'room-closed') this.close('room-closed');
        return;
      case 'history':
        this.options.callbacks.history(frame);
        return;
    }
  }

  private async onError(frame: ErrorFrame): Promise<void> {
    if (frame.ref === 'join') {
      if (isTokenRefusal(frame.code)) return this.rejoinWithFreshToken(frame.code);
      if (FATAL_JOIN.has(frame.code)) return this.close(frame.code);
      this.options.callbacks.error(frame.code, frame.category, frame.temporary);
      return;
    }
    const item = this.outbox.find((o) => o.id === frame.ref);
    // Ids are random and ours alone: the id already stored with other content is this
    // entry, sent in an earlier life of the page before its stamp was saved.
    if (item && frame.code === 'replay') return this.settle(item.id);
    if (item && !frame.temporary) {
      item.status = 'failed';
      item.error = frame.code;
    } else if (item) {
      // Temporary (rate limited, storage busy): the same frame may pass later.
      item.status = 'queued';
      this.sentOnSocket.delete(item.id);
      setTimeout(() => void this.flush(), frame.retryAfterMs ?? 1000);
    }
    this.changed();
    if (frame.code === 'room-expired') return this.close('room-expired');
    this.options.callbacks.error(frame.code, frame.category, frame.temporary);
  }

  private sendJoin(socket: WebSocket, token: string | undefined): void {
    const { identity, roomId, name } = this.options;
    this.sentToken = token;
    socket.send(
      JSON.stringify({
        type: 'join',
        roomId,
        name,
        key: publicKeyOf(identity),
        proof: this.joinProof,
        ...(token !== undefined ? { token } : {}),
        ...(this.lastSeq > 0 ? { since: this.lastSeq } : {}),
      }),
    );
  }

  /** The server keeps the socket open after a refused token, so the same join can go again with a new one. */
  private async rejoinWithFreshToken(code: string): Promise<void> {
    const socket = this.socket;
    const refused = this.sentToken;
    if (!this.tokenRetried && this.options.token && socket) {
      this.tokenRetried = true;
      const token = await this.options.token(code);
      if (this.socket !== socket) return;
      // The same token again would be refused again.
      if (token !== undefined && token !== refused) return this.sendJoin(socket, token);
    }
    this.close(code);
  }

  private settle(id: string): void {
    const i = this.outbox.findIndex((o) => o.id === id);
    if (i < 0) return;
    this.outbox.splice(i, 1);
    this.changed();
  }

  /** Reports a change of the outbox, and keeps the stored copy in step once it has been read back. */
  private changed(): void {
    if (this.restored) this.options.store?.save(this.outbox.map(toStored)).catch(() => undefined);
    this.options.callbacks.outbox();
  }

  /** A stamped entry the server would still take as it is: same name and key, within its clock-skew window. */
  private sendable(item: Outgoing): boolean {
    const skew = this.limits?.clockSkewMs;
    if (item.ts === undefined || skew === undefined) return true;
    const fresh = Math.abs(Date.now() + this.clockOffset - item.ts) < skew - SKEW_MARGIN_MS;
    return fresh && item.name === this.name && item.pub === this.options.identity.pub;
  }

  private stamp(item: Outgoing, name: string): Promise<void> {
    // A restored entry keeps its first stamp.
    item.signing ??=
      item.sig !== undefined
        ? Promise.resolve()
        : (async () => {
            const ts = Date.now() + this.clockOffset;
            const fields = { roomId: this.options.roomId, name, id: item.id, ts, text: item.text };
            item.sig = await signMessage(this.options.identity, fields);
            item.ts = ts;
            item.name = name;
            item.pub = this.options.identity.pub;
          })();
    return item.signing;
  }

  /** Sends, in order, every outbox entry not yet sent on this socket. */
  private async flush(): Promise<void> {
    const socket = this.socket;
    const name = this.name;
    if (!socket || !this.joined || name === undefined || !this.restored) return;
    for (const item of this.outbox) {
      if (item.status === 'failed' || this.sentOnSocket.has(item.id)) continue;
      if (!this.sendable(item)) {
        item.status = 'failed';
        item.error = 'expired';
        continue;
      }
      this.sentOnSocket.add(item.id);
      try {
        await this.stamp(item, name);
      } catch {
        item.status = 'failed';
        item.error = 'internal';
        continue;
      }
      if (this.socket !== socket) return;
      item.status = 'sending';
      // The stamp is saved as it goes out, so a reload resends this very frame.
      this.changed();
      const { id, ts, text, sig } = item;
      socket.send(JSON.stringify({ type: 'send', roomId: this.options.roomId, id, ts, text, sig }));
    }
    this.changed();
  }
}

function toStored(item: Outgoing): StoredOutgoing {
  const { id, text, ts, sig, name, pub, error } = item;
  return { id, text, ts, sig, name, pub, error, status: item.status === 'failed' ? 'failed' : 'queued' };
}
