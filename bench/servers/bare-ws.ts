/**
 * Baseline: the naive `ws` broadcast server from the ws README. No checks, no
 * storage, no rooms: every text frame goes to every open socket as it came.
 */
import { WebSocketServer, WebSocket } from 'ws';
import { serve } from '../lib/serve.js';

const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
await new Promise<void>((resolve) => wss.once('listening', () => resolve()));

wss.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of wss.clients) {
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
