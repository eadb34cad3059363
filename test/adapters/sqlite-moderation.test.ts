/**
 * Backend-only moderation cases for SQLite: a removed message's text is gone
 * from the database file's bytes (and its WAL), not only from what reads
 * return; moderation state survives closing and reopening the file; and a
 * file from before moderation (schema 6) keeps its rooms when it migrates.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import { migrate } from '../../adapters/sqlite/schema.js';
import { appendOpts, msg, newRoom, T0, textOf } from './contract-fixtures.js';
import { act, AMY, BOB, bindAs, MOD, OWNER, staffedRoom, staffOf } from './contract-moderation-fixtures.js';

function tempDb(): { path: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-sqlite-mod-'));
  return { path: join(dir, 'chat.db'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The database file and its WAL, as bytes on disk. */
function fileBytes(path: string): Buffer {
  const parts = [readFileSync(path)];
  if (existsSync(`${path}-wal`)) parts.push(readFileSync(`${path}-wal`));
  return Buffer.concat(parts);
}

/**
 * Stores `text(secret)` between fillers, removes it, and checks that no copy of the secret is left in the file or
 * its WAL, while open and after close.
 */
async function removedTextIsGone(text: (secret: string) => string): Promise<void> {
  const { path, dispose } = tempDb();
  const s = await createSqliteStorage({ path });
  try {
    const room = await staffedRoom(s);
    const secret = `secret-${randomBytes(12).toString('hex')}`;
    for (let i = 0; i < 20; i++) await s.appendMessage(room.id, msg('amy', `a${i}`, `filler ${i}`), appendOpts());
    const m = await s.appendMessage(room.id, msg('amy', 'secret', text(secret)), appendOpts());
    for (let i = 0; i < 20; i++) await s.appendMessage(room.id, msg('amy', `b${i}`, `filler ${i}`), appendOpts());
    if (m.status !== 'stored') throw new Error(m.status);
    // It is there to be found first, or this test could not fail.
    assert.ok(fileBytes(path).includes(secret), 'the text is stored before the remove');
    const rm = act('mo', MOD, 'rm', { act: 'remove', seq: m.message.seq, chain: m.message.chain });
    assert.is((await s.appendAction(room.id, rm, appendOpts())).status, 'stored');
    assert.not.ok(fileBytes(path).includes(secret), 'a copy is left in the file or WAL while open');
    await s.close();
    assert.not.ok(fileBytes(path).includes(secret), 'a copy is left in the file after close');
  } finally {
    await s.close();
    dispose();
  }
}

test('a removed message’s text is in neither the database file nor its WAL', () =>
  removedTextIsGone((secret) => secret));

test('a removed long text, spread over overflow pages, is in neither the file nor its WAL', () =>
  // Longer than a page (2 KiB), as 1,000 four-byte characters are: SQLite stores it on overflow pages, which the
  // remove frees (and which only secure_delete = ON zeroes).
  removedTextIsGone((secret) => `${secret} `.repeat(90)));

test('moderation state survives closing and reopening the file', async () => {
  const { path, dispose } = tempDb();
  try {
    const first = await createSqliteStorage({ path });
    const room = await staffedRoom(first, { requireAuth: true });
    await bindAs(first, room.id, AMY, 'amy', T0, 'iss amy');
    const m = await first.appendMessage(room.id, { ...msg('amy', 'm1', 'gone soon'), key: AMY }, appendOpts());
    if (m.status !== 'stored') throw new Error(m.status);
    const rm = { act: 'remove' as const, seq: m.message.seq, chain: m.message.chain };
    for (const a of [
      act('mo', MOD, 'r', rm),
      act('mo', MOD, 'b', { act: 'ban', target: AMY }),
      act('mo', MOD, 'k', { act: 'kick', target: BOB, forMs: 60_000 }),
      act('mo', MOD, 'l', { act: 'lock' }),
      act('mo', MOD, 's', { act: 'slow', intervalMs: 2000 }),
    ]) {
      assert.is((await first.appendAction(room.id, a, appendOpts())).status, 'stored', a.id);
    }
    const before = await first.readMessages(room.id, { limit: 10 }, T0);
    await first.close();

    const again = await createSqliteStorage({ path });
    try {
      assert.equal(await staffOf(again, room.id), { owner: OWNER, moderators: [MOD], locked: true, slowModeMs: 2000 });
      assert.equal(await again.readMessages(room.id, { limit: 10 }, T0), before);
      const page = await again.readMessages(room.id, { limit: 10 }, T0);
      assert.is(
        'messages' in page && page.messages[1] && 'kind' in page.messages[1] && page.messages[1].kind,
        'removed',
      );
      assert.is('messages' in page && textOf(page.messages[1]), undefined);
      assert.equal(await bindAs(again, room.id, { alg: 'Ed25519', pub: 'x'.repeat(43) }, 'x', T0, 'iss amy'), {
        status: 'banned',
      });
      assert.equal(await bindAs(again, room.id, BOB, 'bob', T0 + 1000, 'iss bob'), {
        status: 'kicked',
        until: T0 + 60_000,
      });
      // A replayed action is a duplicate after the restart, and the demoted moderator is refused.
      assert.is(
        (await again.appendAction(room.id, act('mo', MOD, 'l', { act: 'lock' }), appendOpts())).status,
        'duplicate',
      );
      await again.appendAction(room.id, act('olga', OWNER, 'd', { act: 'demote', target: MOD }), appendOpts());
      assert.equal(await again.appendAction(room.id, act('mo', MOD, 'u', { act: 'unlock' }), appendOpts()), {
        status: 'forbidden',
      });
    } finally {
      await again.close();
    }
  } finally {
    dispose();
  }
});

test('a file from before moderation (schema 6) keeps its rooms, history and quota holder', async () => {
  const { path, dispose } = tempDb();
  try {
    const room = newRoom({ creator: 'iss old' });
    const raw = new Database(path);
    migrate(raw, 6);
    raw
      .prepare(
        `INSERT INTO rooms (id, created_at, expires_at, idle_timeout_ms, owner, require_auth, last_active_at, last_seq,
           first_seq, last_chain) VALUES (?, ?, ?, ?, 'iss old', 0, ?, 0, 1, NULL)`,
      )
      .run(room.id, room.createdAt, room.expiresAt, room.idleTimeoutMs, room.createdAt);
    raw
      .prepare(
        `INSERT INTO messages (room_id, seq, id, name, ts, text, sig, key_alg, key_pub, at)
         VALUES (?, 1, 'm1', 'amy', ?, 'from before', 'c2ln', 'Ed25519', ?, ?)`,
      )
      .run(room.id, T0, AMY.pub, T0);
    raw.prepare('UPDATE rooms SET last_seq = 1 WHERE id = ?').run(room.id);
    raw.close();

    const s = await createSqliteStorage({ path });
    try {
      const found = await s.getRoom(room.id, T0);
      assert.is(found.status, 'live');
      if (found.status !== 'live') return;
      assert.is(found.room.creator, 'iss old');
      assert.equal(found.room.staff, { owner: null, moderators: [], locked: false, slowModeMs: 0 });
      const page = await s.readMessages(room.id, { limit: 10 }, T0);
      assert.equal('messages' in page && page.messages.map(textOf), ['from before']);
      assert.equal(await s.createRoom(newRoom({ creator: 'iss old' }), { creator: 'iss old', maxRooms: 1 }), {
        status: 'quota-exceeded',
        live: 1,
      });
    } finally {
      await s.close();
    }
  } finally {
    dispose();
  }
});

test.run();
