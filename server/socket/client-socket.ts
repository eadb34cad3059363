/**
 * One client's WebSocket as a transport: frames in, handled one at a time in
 * arrival order with TCP backpressure; frames out through a bounded send
 * buffer; the ping that finds dead peers; the budget of frames that are not
 * even well-formed; and the end of the socket, whichever way it comes.
 * What a frame means is the handler's business.
 *
 * Must never: hold an unbounded number of inbound frames or unsent bytes for
 * one client, let one socket's trouble delay another, or count a socket we
 * stopped reading ourselves as dead.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { ChatError, type ErrorCode } from '../../protocol/errors.js';
import type { ServerFrame } from '../../protocol/frames.js';
import type { Metrics } from '../metrics.js';
import { encode, errorFrame, type Closing } from '../wire/build.js';
import { EncodedFrame, preFramedTarget, sendEncoded } from '../wire/encoded-frame.js';

/** Frames read but not yet handled: above the high mark the socket stops reading until the low mark. */
const QUEUE_HIGH = 64;
const QUEUE_LOW = 16;
/** Where every socket's chain of frames starts: one settled promise shared by all, not one per socket. */
export const SETTLED: Promise<void> = Promise.resolve();

/** Frames that are not even well-formed: a client that keeps sending them is broken or hostile. */
const GARBAGE: ReadonlySet<string> = new Set(['malformed-json', 'unknown-type', 'invalid-frame', 'frame-too-large']);

export interface SocketLimits {
  /** Unsent bytes above which the client counts as not reading. */
  readonly maxBufferedBytes: number;
  /** More bad frames than this within the window close the socket. */
  readonly maxBadFrames: number;
  readonly badFrameWindowMs: number;
  /** After the server closes a socket, how long the client has to answer before the TCP connection is cut. */
  readonly closeGraceMs: number;
}

/** What gives frames their meaning. */
export interface FrameHandler<Early> {
  /** Called as a frame arrives, before its turn: work that may start early (or undefined). */
  arrive(data: string | undefined): Early | undefined;
  /** Called in arrival order, one frame at a time. */
  handle(data: string | undefined, early: Early | undefined): Promise<void>;
  /**
   * Called once, after every frame read before the end was handled: when the
   * socket closed, or as soon as the server closed it for a limit (the
   * client's close reply is not waited for).
   */
  closed(): Promise<void>;
}

export class ClientSocket {
  /** Set by a pong; a socket that has not answered the last ping by the next one is dropped. */
  #alive = true;
  /** True while this side stopped reading (backpressure): pongs then wait unread in TCP. */
  #paused = false;
  #ended = false;
  /** Resolves once the handler's `closed` has run. */
  readonly finished: Promise<void>;
  #finish!: () => void;

  readonly #ws: WebSocket;
  /** Where pre-framed bytes go (undefined: through ws.send), settled at the upgrade. */
  readonly #raw: Duplex | undefined;
  readonly #limits: SocketLimits;
  readonly #log: FastifyBaseLogger;
  readonly #metrics: Metrics | undefined;
  #handler: FrameHandler<unknown> | undefined;
  #queue: Promise<void> = SETTLED;
  #queued = 0;
  #badFrames: number[] = [];

  constructor(ws: WebSocket, limits: SocketLimits, log: FastifyBaseLogger, metrics: Metrics | undefined) {
    this.#ws = ws;
    this.#raw = preFramedTarget(ws);
    this.#limits = limits;
    this.#log = log;
    this.#metrics = metrics;
    this.finished = new Promise((resolve) => (this.#finish = resolve));
  }

  /** Starts reading; call once the handler can take frames. */
  listen<Early>(handler: FrameHandler<Early>): void {
    this.#handler = handler;
    const ws = this.#ws;
    ws.on('message', (data, isBinary) => {
      // A text frame arrives as one Buffer (ws's default binaryType).
      const text = isBinary ? undefined : (data as Buffer).toString();
      const early = handler.arrive(text);
      // Backpressure: a client sending faster than frames are handled is
      // slowed down by TCP rather than queued in memory without bound.
      if (++this.#queued === QUEUE_HIGH) this.#pause(true);
      this.#queue = this.#queue
        .then(() => handler.handle(text, early))
        .finally(() => {
          if (--this.#queued === QUEUE_LOW) this.#pause(false);
        });
    });
    ws.on('pong', () => {
      this.#alive = true;
    });
    ws.on('close', () => this.#end());
    // Errors on the socket go to the @fastify/websocket errorHandler (./faults.ts).
  }

  /**
   * A string is one frame for this socket; an EncodedFrame is shared by every socket it goes to. Both take the
   * corked pre-framed path, so an ack and the broadcasts of the same group commit leave in one write.
   */
  send(data: string | EncodedFrame): void {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return;
    // ws never blocks the sender, so other sockets see no delay either way.
    if (ws.bufferedAmount > this.#limits.maxBufferedBytes) {
      this.#metrics?.slowConsumers.inc();
      this.closeFor('slow-consumer');
      return;
    }
    sendEncoded(ws, typeof data === 'string' ? new EncodedFrame(data) : data, this.#raw);
  }

  sendFrame(frame: ServerFrame): void {
    this.send(encode(frame));
  }

  /**
   * Sends the closing frame, then closes with its code; the room is left at
   * once, and the TCP connection cut after the grace if the client does not answer.
   */
  closeWith(c: Closing): void {
    this.sendFrame(c.frame);
    this.#ws.close(c.closeCode, c.frame.code);
    cutAfter(this.#ws, this.#limits.closeGraceMs);
    this.#end();
  }

  /**
   * Closes for a limit: its error frame (behind what is unsent), its close
   * code, the TCP connection cut after the grace; the room is left at once.
   */
  closeFor(code: ErrorCode): void {
    closeFor(this.#ws, code, this.#limits.closeGraceMs);
    this.#end();
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
    this.#metrics?.refusals.inc({ code: e.code });
    this.sendFrame(errorFrame(e, ref));
    if (GARBAGE.has(e.code) && this.#tooManyBadFrames()) this.closeFor('too-many-errors');
  }

  /** Drops the TCP connection at once; the close handler runs as for any close. */
  terminate(): void {
    this.#ws.terminate();
  }

  /**
   * One ping period: a socket that did not answer the last ping is dropped
   * (its client sees 1006: a dead peer gets no close frame). One we stopped
   * reading ourselves cannot have read its pong and is not judged.
   */
  heartbeat(): void {
    if (this.#paused) {
      this.#alive = true;
      return;
    }
    if (!this.#alive) return this.terminate();
    this.#alive = false;
    this.#ws.ping();
  }

  #pause(on: boolean): void {
    this.#paused = on;
    if (on) this.#ws.pause();
    else this.#ws.resume();
  }

  /** Runs the handler's `closed` once, after the frames already read. */
  #end(): void {
    if (this.#ended || !this.#handler) return;
    this.#ended = true;
    const handler = this.#handler;
    this.#queue = this.#queue.then(() => handler.closed()).finally(this.#finish);
  }

  #tooManyBadFrames(): boolean {
    const { maxBadFrames, badFrameWindowMs } = this.#limits;
    const now = Date.now();
    this.#badFrames.push(now);
    while (this.#badFrames.length > 0 && this.#badFrames[0]! <= now - badFrameWindowMs) this.#badFrames.shift();
    return this.#badFrames.length > maxBadFrames;
  }
}

/**
 * Closes a socket for a limit: an error frame when it can still be delivered,
 * then the code's close code, queued behind what is unsent so a client that
 * catches up still reads why. One that does not answer within `graceMs` is
 * cut (rather than after ws's own 30 s close timeout).
 */
export function closeFor(ws: WebSocket, code: ErrorCode, graceMs: number): void {
  const e = new ChatError(code);
  if (ws.readyState !== ws.OPEN) return;
  ws.send(encode(errorFrame(e)));
  ws.close(e.spec.close, e.code);
  cutAfter(ws, graceMs);
}

/** Terminates the socket unless it has closed within `ms`. */
export function cutAfter(ws: WebSocket, ms: number): void {
  const timer = setTimeout(() => ws.terminate(), ms);
  timer.unref();
  ws.once('close', () => clearTimeout(timer));
}
