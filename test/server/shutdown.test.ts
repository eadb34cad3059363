/**
 * Shutdown order (server/lifecycle.ts `drain`, server/cli.ts) and presence
 * after a restart (adapters/sqlite `createSqliteStorage`), with the real
 * `tiny-chat` command on a SQLite file: SIGTERM with members connected
 * closes their sockets and removes their presence before storage closes;
 * a server that died without that clears the presence of its previous life
 * when it starts. Either way a newcomer after the restart sees nobody who left.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ClosingFrame } from '../../protocol/frames.js';
import { TestClient } from '../helpers/client.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { createRoom } from '../helpers/server.js';

interface Ctx {
  dir: string;
  servers: ServerProcess[];
  clients: TestClient[];
}

const test = suite<Ctx>('shutdown order and presence after a restart (SQLite, real process)');

test.before.each((ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'tiny-chat-shutdown-'));
  ctx.servers = [];
  ctx.clients = [];
});

test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  for (const s of ctx.servers) {
    s.child.kill('SIGKILL');
    await s.exited;
  }
  rmSync(ctx.dir, { recursive: true, force: true });
});

async function start(ctx: Ctx): Promise<ServerProcess> {
  const srv = await spawnServer([], { TINY_CHAT_DB: join(ctx.dir, 'chat.db') });
  ctx.servers.push(srv);
  return srv;
}

async function members(ctx: Ctx, url: string, roomId: string, names: string[]): Promise<TestClient[]> {
  const joined: TestClient[] = [];
  for (const name of names) {
    const c = await TestClient.connect(url);
    ctx.clients.push(c);
    await c.join(roomId, name);
    joined.push(c);
  }
  return joined;
}

test('SIGTERM with members connected: each gets closing/1001, leaves, and a restarted server lists none of them', async (ctx) => {
  const first = await start(ctx);
  const roomId = await createRoom(first.url);
  const present = await members(ctx, first.url, roomId, ['ann', 'ben', 'cat', 'dan', 'eve']);

  first.child.kill('SIGTERM');
  assert.is(await first.exited, 0);
  for (const c of present) {
    const closed = await c.waitClosed(5000);
    assert.is(closed.code, 1001);
    const frame = c.frames.find((f): f is ClosingFrame => f.type === 'closing');
    assert.equal([frame?.code, frame?.reason], ['server-shutdown', 'shutdown']);
  }
  const out = first.output();
  assert.not.match(out, 'leaving the room failed');
  assert.not.match(out, /"level":[5-6]\d/);

  const second = await start(ctx);
  const [newcomer] = await members(ctx, second.url, roomId, ['fay']);
  const welcome = newcomer!.frames.find((f) => f.type === 'welcome');
  assert.equal(welcome?.type === 'welcome' && welcome.members.map((m) => m.name), ['fay']);
});

test('SIGKILL with members connected: the restarted server clears the presence of its previous life', async (ctx) => {
  const first = await start(ctx);
  const roomId = await createRoom(first.url);
  await members(ctx, first.url, roomId, ['ann', 'ben', 'cat']);
  first.child.kill('SIGKILL');
  await first.exited;

  const second = await start(ctx);
  const [newcomer] = await members(ctx, second.url, roomId, ['fay']);
  const welcome = newcomer!.frames.find((f) => f.type === 'welcome');
  assert.equal(welcome?.type === 'welcome' && welcome.members.map((m) => m.name), ['fay']);
  const info = (await (await fetch(`${second.url}/rooms/${roomId}`)).json()) as { memberCount: number };
  assert.is(info.memberCount, 1);
});

test.run();
