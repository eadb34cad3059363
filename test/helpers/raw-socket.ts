/**
 * A WebSocket client written by hand on a TCP socket, for tests that send
 * what no well-behaved library would: frames with RSV1 set, invalid UTF-8,
 * unmasked or oversize frames. It reads back the server's close code.
 */
import { connect, type Socket } from 'node:net';

export interface RawResult {
  /** The close code of the server's close frame; undefined when none came before the TCP close. */
  readonly closeCode: number | undefined;
  /** Every byte the server sent after the 101 response. */
  readonly bytes: Buffer;
}

/** One client frame: FIN set, masked unless told otherwise. */
export function rawFrame(opcode: number, payload: Buffer, opts: { rsv1?: boolean; mask?: boolean } = {}): Buffer {
  const first = 0x80 | (opts.rsv1 ? 0x40 : 0) | opcode;
  const masked = opts.mask ?? true;
  const len = payload.length;
  const head =
    len < 126
      ? Buffer.from([first, (masked ? 0x80 : 0) | len])
      : len < 65536
        ? Buffer.from([first, (masked ? 0x80 : 0) | 126, len >> 8, len & 255])
        : Buffer.concat([Buffer.from([first, (masked ? 0x80 : 0) | 127]), u64(len)]);
  if (!masked) return Buffer.concat([head, payload]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([head, mask, body]);
}

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

/** The close code in the first close frame (opcode 8) among the server's frames, if any. */
function closeCodeIn(bytes: Buffer): number | undefined {
  let at = 0;
  while (at + 2 <= bytes.length) {
    const opcode = bytes[at]! & 0x0f;
    let len = bytes[at + 1]! & 0x7f;
    let head = 2;
    if (len === 126) {
      len = bytes.readUInt16BE(at + 2);
      head = 4;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(at + 2));
      head = 10;
    }
    if (opcode === 8 && len >= 2) return bytes.readUInt16BE(at + head);
    at += head + len;
  }
  return undefined;
}

/** Upgrades a TCP connection at `url` (http://host:port), writes `frames`, and resolves when the server closes it. */
export function rawSession(url: string, frames: Buffer[], timeoutMs = 5000): Promise<RawResult> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), hostname);
    let received = Buffer.alloc(0);
    let upgraded = false;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the server did not close the connection'));
    }, timeoutMs);
    socket.on('connect', () => {
      socket.write(
        'GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
    });
    socket.on('data', (d: Buffer) => {
      received = Buffer.concat([received, d]);
      if (upgraded) return;
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!received.subarray(0, end).toString().startsWith('HTTP/1.1 101')) {
        reject(new Error(`no upgrade: ${received.toString()}`));
        return;
      }
      upgraded = true;
      received = received.subarray(end + 4);
      for (const f of frames) socket.write(f);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closeCode: closeCodeIn(received), bytes: received });
    });
  });
}
