import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteStorage } from '../../adapters/sqlite.js';
import { testSuite } from './contract.js';

// A real file in WAL mode, not ':memory:', so the suite runs what production runs.
testSuite('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-sqlite-'));
  const storage = await createSqliteStorage({ path: join(dir, 'chat.db') });
  return [
    storage,
    async () => {
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  ];
});
