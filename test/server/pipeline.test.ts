/**
 * A socket's sends are pipelined (server/session/session.ts): each append is
 * issued without waiting for the one before it to commit. On a real SQLite
 * file with `synchronous=full` (an fsync per group commit), storage answers
 * later than a refusal is found, so these tests see any answer out of order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { Storage } from '../../adapters/types.js';
import { connect, type RoomContext } from '../helpers/room-suite.js';
import { createRoom, startServer } from '../helpers/server.js';

const test = suite<RoomContext & { dir: string; storage: Storage }>('pipelined sends on SQLite');
test.before.each(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'tiny-chat-pipeline-'));
  ctx.storage = await createSqliteStorage({ path: join(ctx.dir, 'chat.db'), synchronous: 'full' });
  ctx.srv = await startServer({ storage: ctx.storage });
  ctx.roomId = await createRoom(ctx.srv.url);
  ctx.clients = [];
});
test.after.each(async (ctx) => {
  for (const c of ctx.clients) c.close();
  await ctx.srv.stop();
  await ctx.storage.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

test('pipelined sends with refusals and other frames among them are answered in the order sent', async (ctx) => {
  const c = await connect(ctx);
  await c.join(ctx.roomId, 'mixed');
  const ts = ctx.srv.clock.now();
  const one = c.sendFrame('one', { ts });
  const forged = { ...c.sendFrame('forged', { ts }), sig: one.sig };
  const two = c.sendFrame('two', { ts });
  const replay = { ...c.sendFrame('other text', { ts, id: one.id }) };
  const three = c.sendFrame('three', { ts });
  const again = c.sendFrame('one', { ts, id: one.id });
  const frames: unknown[] = [
    one,
    forged,
    two,
    { type: 'history', before: 3, limit: 5 },
    replay,
    '{"type":',
    three,
    again,
  ];
  for (const f of frames)
    if (typeof f === 'string') c.raw(f);
    else c.sendJson(f);
  const answered = (): string[] =>
    c.frames.flatMap((f) =>
      f.type === 'ack'
        ? [
            `ack ${f.id === one.id ? 'one' : f.id === two.id ? 'two' : 'three'} ${f.seq}${f.duplicate ? ' duplicate' : ''}`,
          ]
        : f.type === 'error'
          ? [`error ${f.code}`]
          : f.type === 'history'
            ? [`history ${f.messages.map((m) => m.seq).join(',')}`]
            : [],
    );
  await c.waitFor(() => answered().length === frames.length);
  assert.equal(answered(), [
    'ack one 1',
    'error bad-signature',
    'ack two 2',
    'history 1,2',
    'error replay',
    'error malformed-json',
    'ack three 3',
    'ack one 1 duplicate',
  ]);
});

test('more sends at once than the pipeline holds are all stored and answered in the order sent', async (ctx) => {
  const c = await connect(ctx);
  await c.join(ctx.roomId, 'burst');
  const ts = ctx.srv.clock.now();
  // Past the 16 in flight, each send waits for the oldest answer (server/session/answers.ts).
  const sent = Array.from({ length: 50 }, (_, i) => c.sendFrame(`burst ${i}`, { ts }));
  for (const f of sent) c.sendJson(f);
  const acks = (): { id: string; seq: number }[] =>
    c.frames.flatMap((f) => (f.type === 'ack' ? [{ id: f.id, seq: f.seq }] : []));
  await c.waitFor(() => acks().length === sent.length);
  assert.equal(
    acks(),
    sent.map((f, i) => ({ id: f.id, seq: i + 1 })),
  );
  assert.not.ok(c.frames.some((f) => f.type === 'error'));
});

test.run();
