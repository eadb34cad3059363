/**
 * Baseline: the strongest bare `ws` broadcast this machine allows (issue 15).
 * Each incoming frame is framed once with ws's own `Sender.frame`, and the
 * same buffers are written to every open socket's TCP stream, which stays
 * corked until the event-loop turn ends, so a socket gets one system call per
 * turn however many broadcasts it got. No checks, no storage; rooms as the
 * naive server has them (bench/lib/rooms.ts).
 */
import type { Duplex } from 'node:stream';
import * as ws from 'ws';
import { WebSocketServer, WebSocket } from 'ws';
import { Rooms } from '../lib/rooms.js';
import { serve } from '../lib/serve.js';

/** ws's static framer, which @types/ws does not declare. */
type Frame = (
  data: Buffer,
  o: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean },
) => Buffer[];
const { Sender } = ws as unknown as { Sender: { frame: Frame } };
const frame: Frame = (data, o) => Sender.frame(data, o);

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
await new Promise<void>((resolve) => wss.once('listening', () => resolve()));

const corked = new Set<Duplex>();
const uncorkAll = (): void => {
  for (const raw of corked) raw.uncork();
  corked.clear();
};

const rooms = new Rooms<WebSocket>();

wss.on('connection', (socket, request) => {
  const room = rooms.join(socket, request);
  socket.once('close', () => room.delete(socket));
  socket.on('message', (data: Buffer, isBinary) => {
    const buffers = frame(data, { fin: true, rsv1: false, opcode: isBinary ? 2 : 1, mask: false, readOnly: true });
    for (const client of room) {
      if (client.readyState !== WebSocket.OPEN) continue;
      const raw = (client as unknown as { _socket: Duplex })._socket;
      if (!corked.has(raw)) {
        if (corked.size === 0) setImmediate(uncorkAll);
        raw.cork();
        corked.add(raw);
      }
      for (const b of buffers) raw.write(b);
    }
  });
});

serve({
  address: () => {
    const a = wss.address();
    if (!a || typeof a === 'string') throw new Error('unexpected address');
    return { url: `ws://127.0.0.1:${a.port}` };
  },
  connections: () => wss.clients.size,
});
