/**
 * Peer: a Socket.IO broadcast server. Each socket joins the room named by its
 * handshake's `room` query parameter (none: one shared room); an event from
 * any socket is emitted to its whole room, which Socket.IO encodes and
 * frames once for all recipients (engine.io's wsPreEncodedFrame).
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { serve } from '../lib/serve.js';

const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });
io.on('connection', (socket) => {
  const q = socket.handshake.query.room;
  const room = `room:${typeof q === 'string' ? q : ''}`;
  void socket.join(room);
  socket.on('m', (payload: unknown) => {
    io.to(room).emit('m', payload);
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
