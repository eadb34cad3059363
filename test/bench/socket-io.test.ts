import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { io, type Socket } from 'socket.io-client';
import { startChild } from '../../bench/lib/child.js';

// The bench's load generator speaks Socket.IO's wire protocol over plain ws;
// this checks that the server it measures is a working Socket.IO broadcast
// server for the official client too.
test('the bench Socket.IO server broadcasts an event to every connected client', async () => {
  const server = await startChild('socket.io server', '../servers/socket-io.ts', []);
  const clients: Socket[] = [];
  try {
    const { url } = await server.request<{ url: string }>('address');
    for (let i = 0; i < 3; i++) {
      const c = io(url.replace(/^ws/, 'http'), { transports: ['websocket'] });
      clients.push(c);
      await new Promise<void>((r) => c.once('connect', () => r()));
    }
    // Joining the room happens right after the connection; wait until the server counts all three.
    while ((await server.request<number>('connections')) < 3) await new Promise((r) => setTimeout(r, 10));
    const got = clients.map((c) => new Promise<unknown>((r) => c.once('m', r)));
    clients[1]!.emit('m', { text: 'hello' });
    assert.equal(await Promise.all(got), [{ text: 'hello' }, { text: 'hello' }, { text: 'hello' }]);
  } finally {
    for (const c of clients) c.disconnect();
    await server.stop();
  }
});

test.run();
