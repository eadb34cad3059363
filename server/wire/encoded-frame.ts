/**
 * A server frame serialized, UTF-8 encoded and framed once, then written as
 * the same bytes to every socket that gets it, as engine.io does with its
 * `wsPreEncodedFrame`: a broadcast to n members costs one JSON.stringify, one
 * encode and one frame header instead of n of each.
 *
 * Must never: write around ws when ws could be holding frames back (a
 * negotiated extension such as permessage-deflate queues frames while it
 * compresses); then the frame goes through ws.send like any other.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

export class EncodedFrame {
  /** The UTF-8 payload (a view into `wire`). */
  readonly payload: Buffer;
  /** Header and payload of one unmasked, final text frame (RFC 6455 §5.2). */
  readonly wire: Buffer;

  constructor(text: string) {
    // The text is encoded straight into the framed buffer: no payload buffer to copy from.
    const n = Buffer.byteLength(text, 'utf8');
    const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
    const wire = Buffer.allocUnsafe(headerLength + n);
    wire[0] = 0x81; // FIN, opcode 1 (text)
    if (n < 126) {
      wire[1] = n;
    } else if (n < 65536) {
      wire[1] = 126;
      wire.writeUInt16BE(n, 2);
    } else {
      wire[1] = 127;
      wire.writeBigUInt64BE(BigInt(n), 2);
    }
    wire.write(text, headerLength, 'utf8');
    this.wire = wire;
    this.payload = wire.subarray(headerLength);
  }
}

/** The part of ws's Sender that engine.io also relies on: write already-framed bytes. */
interface RawSender {
  sendFrame(list: Buffer[], cb?: (err?: Error) => void): void;
}

/**
 * The TCP socket that pre-framed bytes may be written to, or undefined when
 * ws must frame them itself (an extension was negotiated, or this ws has no
 * raw sender). Fixed once the upgrade is done, so a socket asks once: ws's
 * `extensions` getter builds a string on every call.
 */
export function preFramedTarget(socket: WebSocket): Duplex | undefined {
  const { _sender: sender, _socket: raw } = socket as unknown as { _sender?: Partial<RawSender>; _socket?: Duplex };
  return socket.extensions === '' && typeof sender?.sendFrame === 'function' ? raw : undefined;
}

/**
 * TCP sockets written to in this turn of the event loop, held corked until
 * its end: the frames a socket gets in one turn (several broadcasts, an ack)
 * leave in one system call instead of one each. A socket holding more than
 * HELD_MAX bytes is let go at once, so what is held never looks like a slow
 * reader to the send-buffer limit.
 *
 * The turn ends with the callback that wrote (a group commit, a socket read,
 * a timer) and the promise jobs it set off: `process.nextTick` runs once they
 * are all done, so every broadcast and ack of one group commit still shares a
 * write. A `setImmediate` (as before) held them over the next poll phase, that
 * is behind every socket read and thread answer that had come in meanwhile
 * (issue 15: the third event-loop turn between arrival and delivery).
 */
const held = new Map<Duplex, number>();
const HELD_MAX = 16 * 1024;

function uncorkAll(): void {
  for (const raw of held.keys()) raw.uncork();
  held.clear();
}

/**
 * Writes `frame` to `socket`: its framed bytes straight to `raw` (what ws's
 * Sender.sendFrame does for one buffer), corked until the turn ends; through
 * ws.send when there is no `raw` (preFramedTarget).
 */
export function sendEncoded(socket: WebSocket, frame: EncodedFrame, raw = preFramedTarget(socket)): void {
  if (!raw) {
    socket.send(frame.payload, { binary: false });
    return;
  }
  const bytes = held.get(raw);
  if (bytes === undefined) {
    if (held.size === 0) process.nextTick(uncorkAll);
    raw.cork();
  }
  raw.write(frame.wire);
  const now = (bytes ?? 0) + frame.wire.length;
  if (now <= HELD_MAX) {
    held.set(raw, now);
  } else {
    held.delete(raw);
    raw.uncork();
  }
}
