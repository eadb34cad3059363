/**
 * A protocol client for tests, written from docs/protocol.md: real WebSocket
 * connections on loopback, real Ed25519 keys, real signatures.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { joinSigningBytes, messageSigningBytes } from '../../protocol/canonical.js';
import {
  isMessage,
  type Entry,
  type PresenceFrame,
  type PublicKey,
  type ServerFrame,
  type WelcomeFrame,
} from '../../protocol/frames.js';

export interface Identity {
  readonly key: PublicKey;
  readonly privateKey: KeyObject;
}

export function newIdentity(): Identity {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { key: { alg: 'Ed25519', pub: jwk.x! }, privateKey };
}

export function signBytes(id: Identity, bytes: Uint8Array): string {
  return sign(null, bytes, id.privateKey).toString('base64url');
}

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

export class TestClient {
  readonly ws: WebSocket;
  readonly frames: ServerFrame[] = [];
  readonly identity: Identity;
  nonce = '';
  roomId = '';
  name = '';
  closed: { code: number; reason: string } | undefined;
  #waiters: (() => void)[] = [];
  #counter = 0;

  private constructor(ws: WebSocket, identity: Identity) {
    this.ws = ws;
    this.identity = identity;
    ws.on('message', (data) => {
      // ws's default binaryType ('nodebuffer') hands over one Buffer per frame.
      const frame = JSON.parse((data as Buffer).toString()) as ServerFrame;
      if (frame.type === 'hello') this.nonce = frame.nonce;
      this.frames.push(frame);
      this.#wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.#wake();
    });
  }

  static async connect(
    baseUrl: string,
    identity = newIdentity(),
    options: WebSocket.ClientOptions = {},
  ): Promise<TestClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, options);
    const client = new TestClient(ws, identity);
    await client.next('hello');
    return client;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Waits until a frame matching `pred` has arrived (searching from `from`), and returns it. */
  async waitFor<T extends ServerFrame>(pred: (f: ServerFrame) => f is T, timeoutMs?: number): Promise<T>;
  async waitFor(pred: (f: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  async waitFor(pred: (f: ServerFrame) => boolean, timeoutMs = 3000): Promise<ServerFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(pred);
      if (found) return found;
      if (this.closed) throw new Error(`socket closed (${this.closed.code}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames.map((f) => f.type))}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** The first frame of a type not yet taken by `next`. */
  async next<T extends ServerFrame['type']>(type: T, timeoutMs = 3000): Promise<FrameOf<T>> {
    const f = (await this.waitFor((x) => x.type === type && !this.#taken.has(x), timeoutMs)) as FrameOf<T>;
    this.#taken.add(f);
    return f;
  }
  #taken = new Set<ServerFrame>();

  async waitClosed(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket did not close');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 20);
        this.#waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  /**
   * Pings the server and waits for its pong. The server answers a ping as it
   * reads it, so every frame it sent before reading ours has arrived by then:
   * a barrier for proving that a frame was not sent.
   */
  async roundTrip(timeoutMs = 3000): Promise<void> {
    if (this.closed) throw new Error(`socket closed (${this.closed.code})`);
    await new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.ws.off('pong', onPong);
        this.ws.off('close', onClose);
        if (err) reject(err);
        else resolve();
      };
      const onPong = (): void => done();
      const onClose = (code: number): void => done(new Error(`socket closed (${code}) before the pong`));
      const timer = setTimeout(() => done(new Error('no pong')), timeoutMs);
      this.ws.on('pong', onPong);
      this.ws.on('close', onClose);
      this.ws.ping();
    });
  }

  raw(data: string | Buffer): void {
    this.ws.send(data);
  }

  sendJson(frame: unknown): void {
    this.ws.send(JSON.stringify(frame));
  }

  joinFrame(roomId: string, name: string, since?: number, chain?: string): Record<string, unknown> {
    const { key } = this.identity;
    const proof = signBytes(this.identity, joinSigningBytes({ roomId, nonce: this.nonce, alg: key.alg, pub: key.pub }));
    const resume = { ...(since === undefined ? {} : { since }), ...(chain === undefined ? {} : { chain }) };
    return { type: 'join', roomId, name, key, proof, ...resume };
  }

  /** Joins; `since` and `chain` are the last seq and link this client holds, when it resumes. */
  async join(roomId: string, name: string, since?: number, chain?: string): Promise<WelcomeFrame> {
    this.sendJson(this.joinFrame(roomId, name, since, chain));
    const welcome = await this.next('welcome');
    this.roomId = roomId;
    this.name = welcome.name;
    return welcome;
  }

  /** A signed send frame for this client's room and name. */
  sendFrame(
    text: string,
    over: { id?: string; ts?: number; roomId?: string; signRoomId?: string; name?: string } = {},
  ) {
    const id = over.id ?? `m${++this.#counter}-${Math.random().toString(36).slice(2, 8)}`;
    const ts = over.ts ?? Date.now();
    const roomId = over.roomId ?? this.roomId;
    const bytes = messageSigningBytes({
      roomId: over.signRoomId ?? roomId,
      name: over.name ?? this.name,
      id,
      ts,
      text,
    });
    return { type: 'send' as const, roomId, id, ts, text, sig: signBytes(this.identity, bytes) };
  }

  /** Sends a signed message and waits for its ack or error. */
  async say(text: string, over: Parameters<TestClient['sendFrame']>[1] = {}, timeoutMs = 3000): Promise<ServerFrame> {
    const frame = this.sendFrame(text, over);
    const earlier = new Set(this.frames);
    this.sendJson(frame);
    return this.waitFor(
      (f) => !earlier.has(f) && ((f.type === 'ack' && f.id === frame.id) || (f.type === 'error' && f.ref === frame.id)),
      timeoutMs,
    );
  }

  messages(): FrameOf<'message'>[] {
    return this.frames.filter((f): f is FrameOf<'message'> => f.type === 'message');
  }

  /** The member list this client holds: its welcome list with every presence frame applied, sorted. */
  heldMembers(): string[] {
    const welcome = this.frames.find((f) => f.type === 'welcome');
    const names = new Set(welcome?.type === 'welcome' ? welcome.members.map((m) => m.name) : []);
    for (const f of this.frames) {
      if (f.type !== 'presence') continue;
      for (const m of f.left) names.delete(m.name);
      for (const m of f.joined) names.add(m.name);
    }
    return [...names].sort();
  }

  /** Every presence change received, in order: `join ben 2`, `leave ben 1` (the frame's memberCount). */
  presenceLog(): string[] {
    return this.frames.flatMap((f) =>
      f.type === 'presence'
        ? [
            ...f.left.map((m) => `leave ${m.name} ${f.memberCount}`),
            ...f.joined.map((m) => `join ${m.name} ${f.memberCount}`),
          ]
        : [],
    );
  }

  close(): void {
    this.ws.close();
  }
}

/** A `presence` frame that lists `name` as joined (any name without one). */
export function isJoin(f: ServerFrame, name?: string): f is PresenceFrame {
  return f.type === 'presence' && f.joined.some((m) => name === undefined || m.name === name);
}

/** A `presence` frame that lists `name` as left (any name without one). */
export function isLeave(f: ServerFrame, name?: string): f is PresenceFrame {
  return f.type === 'presence' && f.left.some((m) => name === undefined || m.name === name);
}

/** A message entry's text; undefined for an action or a tombstone (protocol v3 entries). */
export function textOf(e: Entry): string | undefined {
  return isMessage(e) ? e.text : undefined;
}
