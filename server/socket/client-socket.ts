/**
 * One client's WebSocket as a transport: frames in, handled one at a time in
 * arrival order with TCP backpressure; frames out through a bounded send
 * buffer; the ping that finds dead peers; and the budget of frames that are
 * not even well-formed. What a frame means is the handler's business.
 *
 * Must never: hold an unbounded number of inbound frames or unsent bytes for
 * one client, or let one socket's trouble delay another.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { ChatError, type ErrorCode } from '../../protocol/errors.js';
import type { ServerFrame } from '../../protocol/frames.js';
import { encode, errorFrame, type Closing } from '../wire/build.js';
import { sendEncoded, type EncodedFrame } from '../wire/encoded-frame.js';

/** Frames read but not yet handled: above the high mark the socket stops reading until the low mark. */
const QUEUE_HIGH = 64;
const QUEUE_LOW = 16;

/** Frames that are not even well-formed: a client that keeps sending them is broken or hostile. */
const GARBAGE: ReadonlySet<string> = new Set(['malformed-json', 'unknown-type', 'invalid-frame', 'frame-too-large']);

export interface SocketLimits {
  /** Unsent bytes above which the client counts as not reading. */
  readonly maxBufferedBytes: number;
  /** More bad frames than this within the window close the socket. */
  readonly maxBadFrames: number;
  readonly badFrameWindowMs: number;
}

/** What gives frames their meaning. */
export interface FrameHandler<Early> {
  /** Called as a frame arrives, before its turn: work that may start early (or undefined). */
  arrive(data: string | undefined): Early | undefined;
  /** Called in arrival order, one frame at a time. */
  handle(data: string | undefined, early: Early | undefined): Promise<void>;
  /** Called once, after every frame read before the close was handled. */
  closed(): Promise<void>;
}

export class ClientSocket {
  /** Set by the ping timer; a socket still not alive at the next ping is dropped. */
  alive = true;

  readonly #ws: WebSocket;
  readonly #limits: SocketLimits;
  readonly #log: FastifyBaseLogger;
  #queue: Promise<void> = Promise.resolve();
  #queued = 0;
  #badFrames: number[] = [];

  constructor(ws: WebSocket, limits: SocketLimits, log: FastifyBaseLogger) {
    this.#ws = ws;
    this.#limits = limits;
    this.#log = log;
  }

  /** Starts reading; call once the handler can take frames. */
  listen<Early>(handler: FrameHandler<Early>): void {
    const ws = this.#ws;
    ws.on('message', (data, isBinary) => {
      // A text frame arrives as one Buffer (ws's default binaryType).
      const text = isBinary ? undefined : (data as Buffer).toString();
      const early = handler.arrive(text);
      // Backpressure: a client sending faster than frames are handled is
      // slowed down by TCP rather than queued in memory without bound.
      if (++this.#queued === QUEUE_HIGH) ws.pause();
      this.#queue = this.#queue
        .then(() => handler.handle(text, early))
        .finally(() => {
          if (--this.#queued === QUEUE_LOW) ws.resume();
        });
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => {
      this.#queue = this.#queue.then(() => handler.closed());
    });
    ws.on('error', (err) => this.#log.debug({ err }, 'socket error'));
  }

  /** A string is one frame for this socket; an EncodedFrame is shared by every socket it goes to. */
  send(data: string | EncodedFrame): void {
    sendBounded(this.#ws, data, this.#limits.maxBufferedBytes);
  }

  sendFrame(frame: ServerFrame): void {
    this.send(encode(frame));
  }

  /** Sends the closing frame, then closes with its code. */
  closeWith(c: Closing): void {
    this.sendFrame(c.frame);
    this.#ws.close(c.closeCode, c.frame.code);
  }

  /**
   * Answers a refused frame with its `error` frame; an error that is not a
   * ChatError is logged and answered as `internal`. Too many frames that are
   * not well-formed close the socket.
   */
  fail(err: unknown, ref: string | undefined): void {
    if (!(err instanceof ChatError)) {
      this.#log.error({ err }, 'frame handling failed');
      err = new ChatError('internal');
    }
    const e = err as ChatError;
    this.sendFrame(errorFrame(e, ref));
    if (GARBAGE.has(e.code) && this.#tooManyBadFrames()) closeFor(this.#ws, 'too-many-errors');
  }

  /** Drops a socket that missed a pong; its close handler runs as for any close. */
  terminate(): void {
    this.#ws.terminate();
  }

  ping(): void {
    this.alive = false;
    this.#ws.ping();
  }

  #tooManyBadFrames(): boolean {
    const { maxBadFrames, badFrameWindowMs } = this.#limits;
    const now = Date.now();
    this.#badFrames.push(now);
    while (this.#badFrames.length > 0 && this.#badFrames[0]! <= now - badFrameWindowMs) this.#badFrames.shift();
    return this.#badFrames.length > maxBadFrames;
  }
}

/** Closes a socket for a limit: an error frame when it can still be delivered, then the code's close code. */
export function closeFor(ws: WebSocket, code: ErrorCode): void {
  const e = new ChatError(code);
  if (ws.readyState !== ws.OPEN) return;
  ws.send(encode(errorFrame(e)));
  // Queued behind what is unsent, so a client that catches up still reads why. One that
  // never does is cut by ws after its close timeout (30 s): the buffer stays bounded till then.
  ws.close(e.spec.close, e.code);
}

/**
 * Sends unless the socket already holds more than `maxBytes` unsent: then the
 * client is not reading, and it is closed rather than buffered for without
 * bound. `ws` never blocks the sender, so other sockets see no delay either way.
 */
export function sendBounded(ws: WebSocket, data: string | EncodedFrame, maxBytes: number): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > maxBytes) return closeFor(ws, 'slow-consumer');
  if (typeof data === 'string') ws.send(data);
  else sendEncoded(ws, data);
}
