import { test } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket, { WebSocketServer } from 'ws';
import { EncodedFrame, sendEncoded } from '../../server/wire/encoded-frame.js';

/** A real ws server and client on loopback; resolves with what the client receives. */
async function roundTrip(texts: string[], clientOptions: WebSocket.ClientOptions = {}, serverDeflate = false) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: serverDeflate });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const { port } = wss.address() as { port: number };
  const received: { text: string; binary: boolean }[] = [];
  const serverSide = new Promise<WebSocket>((r) => wss.once('connection', r));
  const client = new WebSocket(`ws://127.0.0.1:${port}`, clientOptions);
  const done = new Promise<void>((resolve) => {
    client.on('message', (data: Buffer, isBinary) => {
      received.push({ text: data.toString(), binary: isBinary });
      if (received.length === texts.length) resolve();
    });
  });
  const socket = await serverSide;
  for (const t of texts) sendEncoded(socket, new EncodedFrame(t));
  await done;
  client.close();
  wss.close();
  return { received, extensions: socket.extensions };
}

// Payload lengths on both sides of each header size: 7-bit, 16-bit and 64-bit lengths.
const TEXTS = ['', 'hé👋', 'a'.repeat(125), 'b'.repeat(126), 'c'.repeat(65535), 'd'.repeat(65536), 'e'.repeat(70000)];

test('a pre-framed text frame arrives as the same text, whatever its length', async () => {
  const { received, extensions } = await roundTrip(TEXTS, { perMessageDeflate: false });
  assert.is(extensions, '');
  assert.equal(
    received,
    TEXTS.map((text) => ({ text, binary: false })),
  );
});

test('with permessage-deflate negotiated, frames go through ws and still arrive intact', async () => {
  const { received, extensions } = await roundTrip(TEXTS, {}, true);
  assert.match(extensions, /permessage-deflate/);
  assert.equal(
    received,
    TEXTS.map((text) => ({ text, binary: false })),
  );
});

test('one encoded frame is shared: its bytes are not changed by sending', async () => {
  const frame = new EncodedFrame('{"type":"message"}');
  const before = Buffer.from(frame.wire);
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const { port } = wss.address() as { port: number };
  const clients = [0, 1, 2].map(() => new WebSocket(`ws://127.0.0.1:${port}`));
  const got = clients.map((c) => new Promise<string>((r) => c.once('message', (d: Buffer) => r(d.toString()))));
  await new Promise<void>((r) => wss.on('connection', () => wss.clients.size === 3 && r()));
  for (const s of wss.clients) sendEncoded(s, frame);
  assert.equal(await Promise.all(got), ['{"type":"message"}', '{"type":"message"}', '{"type":"message"}']);
  assert.ok(frame.wire.equals(before));
  for (const c of clients) c.close();
  wss.close();
});

test.run();
