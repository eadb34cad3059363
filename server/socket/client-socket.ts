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

/** What every socket of one server shares: made once per server, not once per socket. */
export interface SocketSetup {
  readonly limits: SocketLimits;
  readonly metrics: Metrics | undefined;
  /** Sorts an error raised on an open socket into the client's faults and the server's (./faults.ts). */
  readonly onError: (err: Error, ws: WebSocket, request: { log: FastifyBaseLogger }) => void;
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

/** The ClientSocket of a ws, for the listeners that every socket shares. */
const OWNER = Symbol('tiny-chat.client-socket');
type Owned = WebSocket & { [OWNER]: ClientSocket };

export class ClientSocket {
  /**
   * The socket's listeners, one set for all sockets, each finding its ClientSocket through the ws (`this`) it is
   * called on: a closure per listener per socket, and their context, cost an idle socket about 0.3 KB (issue 15).
   */
  static readonly #onMessage = function (this: WebSocket, data: unknown, isBinary: boolean): void {
    // A text frame arrives as one Buffer (ws's default binaryType).
    (this as Owned)[OWNER].#receive(isBinary ? undefined : (data as Buffer).toString());
  };
  static readonly #onPong = function (this: WebSocket): void {
    (this as Owned)[OWNER].#alive = true;
  };
  static readonly #onClose = function (this: WebSocket): void {
    (this as Owned)[OWNER].#end();
  };
  static readonly #onError = function (this: WebSocket, err: Error): void {
    const socket = (this as Owned)[OWNER];
    socket.#setup.onError(err, this, { log: socket.#log });
  };

  /** Set by a pong; a socket that has not answered the last ping by the next one is dropped. */
  #alive = true;
  /** True while this side stopped reading (backpressure): pongs then wait unread in TCP. */
  #paused = false;
  #ended = false;
  /** Set once the handler's `closed` has run. */
  #done = false;
  /** Made only when asked for (a shutdown waits for it): most sockets never are. */
  #finished: Promise<void> | undefined;
  #finish: (() => void) | undefined;

  readonly #ws: WebSocket;
  /** Where pre-framed bytes go (undefined: through ws.send), settled at the upgrade. */
  readonly #raw: Duplex | undefined;
  readonly #setup: SocketSetup;
  readonly #log: FastifyBaseLogger;
  readonly #connId: string;
  #handler: FrameHandler<unknown> | undefined;
  #queue: Promise<void> = SETTLED;
  #queued = 0;
  /** When the recent frames that were not well-formed came (made at the first). */
  #badFrames: number[] | undefined;

  /** Takes over the ws's `error` events at once; `log` is the upgrade request's, shared, not a child per socket. */
  constructor(ws: WebSocket, setup: SocketSetup, log: FastifyBaseLogger, connId: string) {
    this.#ws = ws;
    this.#raw = preFramedTarget(ws);
    this.#setup = setup;
    this.#log = log;
    this.#connId = connId;
    (ws as Owned)[OWNER] = this;
    ws.on('error', ClientSocket.#onError);
  }

  /** The ws `error` listener of every ClientSocket (the upgrade's own are removed: ./upgrade.ts). */
  static get errorListener(): (err: Error) => void {
    return ClientSocket.#onError;
  }

  /** Resolves once the handler's `closed` has run. */
  get finished(): Promise<void> {
    if (this.#done) return SETTLED;
    return (this.#finished ??= new Promise((resolve) => (this.#finish = resolve)));
  }

  /** Starts reading; call once the handler can take frames. */
  listen<Early>(handler: FrameHandler<Early>): void {
    this.#handler = handler;
    this.#ws.on('message', ClientSocket.#onMessage);
    this.#ws.on('pong', ClientSocket.#onPong);
    this.#ws.on('close', ClientSocket.#onClose);
  }

  #receive(text: string | undefined): void {
    const handler = this.#handler!;
    const early = handler.arrive(text);
    // Backpressure: a client sending faster than frames are handled is
    // slowed down by TCP rather than queued in memory without bound.
    if (++this.#queued === QUEUE_HIGH) this.#pause(true);
    this.#queue = this.#queue
      .then(() => handler.handle(text, early))
      .finally(() => {
        if (--this.#queued === QUEUE_LOW) this.#pause(false);
      });
  }

  /**
   * A string is one frame for this socket; an EncodedFrame is shared by every socket it goes to. Both take the
   * corked pre-framed path, so an ack and the broadcasts of the same group commit leave in one write.
   */
  send(data: string | EncodedFrame): void {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return;
    // ws never blocks the sender, so other sockets see no delay either way.
    if (ws.bufferedAmount > this.#setup.limits.maxBufferedBytes) {
      this.#setup.metrics?.slowConsumers.inc();
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
    cutAfter(this.#ws, this.#setup.limits.closeGraceMs);
    this.#end();
  }

  /**
   * Closes for a limit: its error frame (behind what is unsent), its close
   * code, the TCP connection cut after the grace; the room is left at once.
   */
  closeFor(code: ErrorCode): void {
    closeFor(this.#ws, code, this.#setup.limits.closeGraceMs);
    this.#end();
  }

  /**
   * Answers a refused frame with its `error` frame; an error that is not a
   * ChatError is logged and answered as `internal`. Too many frames that are
   * not well-formed close the socket.
   */
  fail(err: unknown, ref: string | undefined): void {
    if (!(err instanceof ChatError)) {
      this.#log.error({ err, connId: this.#connId }, 'frame handling failed');
      err = new ChatError('internal');
    }
    const e = err as ChatError;
    this.#setup.metrics?.refusals.inc({ code: e.code });
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
    this.#queue = this.#queue
      .then(() => handler.closed())
      .finally(() => {
        this.#done = true;
        this.#finish?.();
      });
  }

  #tooManyBadFrames(): boolean {
    const { maxBadFrames, badFrameWindowMs } = this.#setup.limits;
    const now = Date.now();
    const times = (this.#badFrames ??= []);
    times.push(now);
    while (times.length > 0 && times[0]! <= now - badFrameWindowMs) times.shift();
    return times.length > maxBadFrames;
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
