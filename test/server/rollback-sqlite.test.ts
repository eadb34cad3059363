/**
 * An SQLite file restored from an older copy while the server is down (a
 * backup put back, a snapshot rolled back): clients that come back are told
 * what changed instead of resuming across it. One holding more than the file
 * now has gets `ahead`; one whose seq was reused by a new message gets
 * `rewritten`; both with a fresh snapshot of what storage holds.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { AckFrame } from '../../protocol/frames.js';
import { newIdentity, TestClient, textOf } from '../helpers/client.js';
import { createRoom, startServer, type Running } from '../helpers/server.js';

/** A server on the file, and the function that stops it and closes the file (so it can be copied). */
async function serve(db: string): Promise<Running & { down(): Promise<void> }> {
  const storage = await createSqliteStorage({ path: db });
  const srv = await startServer({ storage });
  return {
    ...srv,
    async down() {
      await srv.stop();
      await storage.close();
    },
  };
}

/** Copies the database file; the write-ahead log is empty once the last connection closed. */
function copyDb(from: string, to: string): void {
  for (const suffix of ['-wal', '-shm']) if (existsSync(to + suffix)) rmSync(to + suffix);
  assert.not.ok(existsSync(from + '-wal'), 'the write-ahead log was checkpointed on close');
  copyFileSync(from, to);
}

test('after an older copy of the file is restored, returning clients get ahead and rewritten', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-rollback-'));
  const db = join(dir, 'chat.db');
  const backup = join(dir, 'backup.db');
  const writer = newIdentity();
  const clients: TestClient[] = [];
  const connect = async (url: string, identity = newIdentity()): Promise<TestClient> => {
    const c = await TestClient.connect(url, identity);
    clients.push(c);
    return c;
  };
  let srv = await serve(db);
  try {
    const roomId = await createRoom(srv.url);
    let w = await connect(srv.url, writer);
    await w.join(roomId, 'writer');
    for (const text of ['one', 'two', 'three']) assert.is((await w.say(text, { ts: srv.clock.now() })).type, 'ack');
    await srv.down();
    copyDb(db, backup);

    srv = await serve(db);
    w = await connect(srv.url, writer);
    await w.join(roomId, 'writer');
    for (const text of ['four', 'five']) assert.is((await w.say(text, { ts: srv.clock.now() })).type, 'ack');
    await w.waitFor(() => w.messages().length === 2);
    const [held4, held5] = w.messages();
    if (!held4 || !held5) throw new Error('the writer holds seq 4 and 5');
    assert.equal([held4.seq, held5.seq], [4, 5]);
    await srv.down();

    copyDb(backup, db);
    srv = await serve(db);
    // Holding seq 5 of a room whose storage now ends at 3.
    const ahead = await connect(srv.url);
    const aheadWelcome = await ahead.join(roomId, 'reader', held5.seq, held5.chain);
    assert.is(aheadWelcome.resume, 'ahead');
    assert.equal(
      aheadWelcome.messages.map((m) => [m.seq, textOf(m)]),
      [
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
      ],
    );

    // A new message takes seq 4 again, under another link.
    w = await connect(srv.url, writer);
    await w.join(roomId, 'writer');
    const ack = (await w.say('another four', { ts: srv.clock.now() })) as AckFrame;
    assert.is(ack.seq, 4);
    const reused = await connect(srv.url);
    const rewritten = await reused.join(roomId, 'holder', held4.seq, held4.chain);
    assert.is(rewritten.resume, 'rewritten');
    assert.equal(
      rewritten.messages.map((m) => [m.seq, textOf(m)]),
      [
        [1, 'one'],
        [2, 'two'],
        [3, 'three'],
        [4, 'another four'],
      ],
    );
    assert.is.not(rewritten.messages[3]!.chain, held4.chain);
    // Seq 3 was never lost: a client holding it still resumes.
    const three = rewritten.messages[2]!;
    const resumer = await connect(srv.url);
    const resumed = await resumer.join(roomId, 'resumer', three.seq, three.chain);
    assert.is(resumed.resume, 'resumed');
    assert.equal(
      resumed.messages.map((m) => textOf(m)),
      ['another four'],
    );
  } finally {
    for (const c of clients) c.close();
    await srv.down();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
