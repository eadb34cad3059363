/**
 * An open socket does not keep its upgrade's HTTP request alive (issue 15:
 * per-socket memory). Behind @fastify/websocket two paths held it for the
 * socket's whole life: the plugin's error listener (over the Fastify request
 * and reply, whose raw request this is) and the TCP socket's `_httpMessage`
 * (the ServerResponse, which holds the request too). A real server, a real
 * socket joined to a room, and a real collection.
 */
import type { IncomingMessage } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { WebSocket } from 'ws';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TestClient } from '../helpers/client.js';
import { createRoom, startServer } from '../helpers/server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/**
 * Collects until the reference is gone, or gives up after a few rounds. A
 * `deref` keeps its target alive until the task ends, so each collection
 * runs in a task of its own, between the checks.
 */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
  for (let i = 0; i < 10; i++) {
    await tick();
    gc();
    await tick();
    if (ref.deref() === undefined) return true;
  }
  return false;
}

test('a joined socket lets go of its upgrade request and still answers', async () => {
  const srv = await startServer();
  const upgrades: WeakRef<IncomingMessage>[] = [];
  srv.app.server.on('upgrade', (req: IncomingMessage) => upgrades.push(new WeakRef(req)));
  const client = await TestClient.connect(srv.url);
  try {
    const roomId = await createRoom(srv.url);
    await client.join(roomId, 'alice');
    assert.is(upgrades.length, 1);
    assert.ok(await collected(upgrades[0]!), 'the upgrade request is still reachable from the open socket');
    // The socket still works after letting go: a send is acknowledged.
    const ack = await client.say('still here', {}, 15_000);
    assert.is(ack.type, 'ack');
  } finally {
    client.close();
    await srv.stop();
  }
});

test('joined sockets share their listeners: none holds a closure of its own', async () => {
  const srv = await startServer();
  const alice = await TestClient.connect(srv.url);
  const bob = await TestClient.connect(srv.url);
  try {
    const roomId = await createRoom(srv.url);
    await alice.join(roomId, 'alice');
    await bob.join(roomId, 'bob');
    const sockets = [...srv.app.websocketServer.clients];
    assert.is(sockets.length, 2);
    const [a, b] = sockets as [WebSocket, WebSocket];
    // The server's listeners are shared by every socket (issue 15: memory per socket). The one closure per
    // socket left is ws's own: its WebSocketServer tracks each client with a `close` closure, as under bare ws.
    const ownClosures = { message: 0, pong: 0, error: 0, close: 1 };
    for (const [event, count] of Object.entries(ownClosures)) {
      const mine = a.listeners(event).filter((l) => !b.listeners(event).includes(l));
      assert.is(mine.length, count, `${event}: ${mine.map(String).join(' / ')}`);
    }
    // One error listener: the upgrade's (over its request and reply) is gone.
    assert.is(a.listenerCount('error'), 1);
    const ack = await bob.say('after the checks', {}, 15_000);
    assert.is(ack.type, 'ack');
  } finally {
    alice.close();
    bob.close();
    await srv.stop();
  }
});

test.run();
