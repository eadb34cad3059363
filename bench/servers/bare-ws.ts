/**
 * Baseline: the naive `ws` broadcast server from the ws README. No checks, no
 * storage: every text frame goes to every open socket of the sender's room
 * (bench/lib/rooms.ts) as it came, one `send` per delivery.
 */
import { WebSocketServer, WebSocket } from 'ws';
import { Rooms } from '../lib/rooms.js';
import { serve } from '../lib/serve.js';

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise<void>((resolve) => wss.once('listening', () => resolve()));

const rooms = new Rooms<WebSocket>();

wss.on('connection', (socket, request) => {
  const room = rooms.join(socket, request);
  socket.once('close', () => room.delete(socket));
  socket.on('message', (data, isBinary) => {
    for (const client of room) {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: isBinary });
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
