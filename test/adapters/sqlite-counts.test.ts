/**
 * Backend-only: a database file from before migration 5 (no kept counts)
 * gets them from its presence rows at upgrade, so the triggers that move them
 * from then on start from the truth: the presence the previous life left is
 * swept at open and every count ends at zero, never below.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import { migrate } from '../../adapters/sqlite/schema.js';
import { key, MIN, newRoom, T0 } from './contract-fixtures.js';

const test = suite('sqlite adapter: kept presence counts across the upgrade that adds them');

test('a version-4 file with presence upgrades to counts that its rows agree with', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-sqlite-'));
  const path = join(dir, 'chat.db');
  try {
    const room = newRoom();
    // A version-4 file as an older tiny-chat left it, with three sockets of two names present.
    const raw = new Database(path);
    migrate(raw, 4);
    raw
      .prepare(
        `INSERT INTO rooms (id, created_at, expires_at, idle_timeout_ms, last_active_at, last_seq, last_chain)
         VALUES (?, ?, ?, ?, ?, 0, NULL)`,
      )
      .run(room.id, room.createdAt, room.expiresAt, room.idleTimeoutMs, room.createdAt);
    const insert = raw.prepare('INSERT INTO presence VALUES (?, ?, ?, ?, ?, ?)');
    for (const [conn, name] of [
      ['c1', 'amy'],
      ['c2', 'amy'],
      ['c3', 'bea'],
    ] as const) {
      insert.run(room.id, conn, name, 'Ed25519', key(1).pub, T0 + MIN);
    }
    raw.close();

    const upgraded = new Database(path);
    const counts = () =>
      upgraded.prepare('SELECT connections, members FROM rooms WHERE id = ?').get(room.id) as {
        connections: number;
        members: number;
      };
    const storage = await createSqliteStorage({ path });
    try {
      // Opening swept the previous life's presence: the backfilled counts went down with it, to zero.
      assert.equal(counts(), { connections: 0, members: 0 });
      assert.is(upgraded.prepare('SELECT count(*) AS n FROM presence_names').pluck().get(), 0);
      const a = await storage.addPresence(room.id, { connId: 'd1', name: 'amy', key: key(1) }, T0, MIN);
      assert.equal(a, { status: 'ok', first: true, memberCount: 1 });
      assert.equal(counts(), { connections: 1, members: 1 });
    } finally {
      await storage.close();
      upgraded.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
