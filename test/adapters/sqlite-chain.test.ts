/** Backend-only: a database from before the chain gets its links at startup, and appends extend them. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import { genesisLink } from '../../protocol/chain.js';
import { assertChained } from './contract-chain.js';
import { appendOpts, msg, newRoom, T0 } from './contract-fixtures.js';

test('rooms stored without links are chained from their genesis link when the database opens', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-sqlite-'));
  const path = join(dir, 'chat.db');
  try {
    const room = newRoom();
    const before = await createSqliteStorage({ path });
    await before.createRoom(room);
    for (let i = 1; i <= 3; i++) await before.appendMessage(room.id, msg('amy', `m${i}`), appendOpts(T0, 2));
    await before.close();
    // As a database written before the chain's migration holds it.
    const raw = new Database(path);
    raw.exec("UPDATE rooms SET last_chain = NULL; UPDATE messages SET chain = ''");
    raw.close();

    const after = await createSqliteStorage({ path });
    try {
      await after.appendMessage(room.id, msg('amy', 'm4'), appendOpts(T0, 3));
      const page = await after.readMessages(room.id, { limit: 10 }, T0);
      if (!('messages' in page)) throw new Error('room not live');
      assert.equal(
        page.messages.map((m) => m.seq),
        [2, 3, 4],
      );
      await assertChained(page.messages, await genesisLink(room.id, room.createdAt));
    } finally {
      await after.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
