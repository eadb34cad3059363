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
import type { WebSocket } from 'ws';

export class EncodedFrame {
  /** The UTF-8 payload. */
  readonly payload: Buffer;
  /** Header and payload of one unmasked, final text frame (RFC 6455 §5.2). */
  readonly wire: Buffer;

  constructor(text: string) {
    this.payload = Buffer.from(text, 'utf8');
    const n = this.payload.length;
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
    this.payload.copy(wire, headerLength);
    this.wire = wire;
  }
}

/** The part of ws's Sender that engine.io also relies on: write already-framed bytes. */
interface RawSender {
  sendFrame(list: Buffer[], cb?: (err?: Error) => void): void;
}

export function sendEncoded(socket: WebSocket, frame: EncodedFrame): void {
  const sender = (socket as unknown as { _sender?: Partial<RawSender> })._sender;
  if (socket.extensions === '' && typeof sender?.sendFrame === 'function') sender.sendFrame([frame.wire]);
  else socket.send(frame.payload, { binary: false });
}
