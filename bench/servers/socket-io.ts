/**
 * Peer: a Socket.IO broadcast server. Each socket joins one room; an event
 * from any socket is emitted to the whole room, which Socket.IO encodes and
 * frames once for all recipients (engine.io's wsPreEncodedFrame).
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { serve } from '../lib/serve.js';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  void socket.join('room');
  socket.on('m', (payload: unknown) => {
    io.to('room').emit('m', payload);
  });
});
await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));

serve({
  address: () => {
    const a = http.address();
    if (!a || typeof a === 'string') throw new Error('unexpected address');
    return { url: `ws://127.0.0.1:${a.port}` };
  },
  connections: () => io.engine.clientsCount,
});
