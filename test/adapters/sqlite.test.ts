import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
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

// Backend-only: dedupe rows outlive trimmed messages for the window, then go.
const test = suite('sqlite adapter: dedupe table stays bounded');

test('rows of trimmed messages are pruned once the dedupe window passed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-sqlite-'));
  const path = join(dir, 'chat.db');
  const storage = await createSqliteStorage({ path });
  try {
    const t0 = 1_700_000_000_000;
    await storage.createRoom({ id: 'r', createdAt: t0, expiresAt: t0 + 3_600_000, idleTimeoutMs: 3_600_000 });
    const key = { alg: 'Ed25519' as const, pub: 'a'.repeat(43) };
    // 1000 messages a second apart, a 10-message cap and a 60-second window.
    for (let i = 0; i < 1000; i++) {
      const now = t0 + i * 1000;
      const m = { id: `m${i}`, name: 'amy', ts: now, text: `t${i}`, sig: 's', key, at: now };
      const r = await storage.appendMessage('r', m, { cap: 10, now, dedupeWindowMs: 60_000 });
      assert.is(r.status, 'stored');
    }
    const raw = new Database(path, { readonly: true });
    const rows = (raw.prepare('SELECT count(*) AS n FROM dedupe').get() as { n: number }).n;
    raw.close();
    // The window holds ~60 ids, plus at most one pruning period's worth not yet swept.
    assert.ok(rows <= 60 + 64 + 10, `dedupe rows: ${rows}`);
    assert.ok(rows >= 60, `dedupe rows: ${rows} (the window's ids must still be known)`);
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();

// Backend-only: the room logs kept in memory give way to another writer of the same file.
const shared = suite('sqlite adapter: two connections on one file');

shared('each sees the other one’s appends: numbers continue and replays are caught', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-sqlite-'));
  const path = join(dir, 'chat.db');
  const a = await createSqliteStorage({ path });
  const b = await createSqliteStorage({ path });
  try {
    const t0 = 1_700_000_000_000;
    await a.createRoom({ id: 'r', createdAt: t0, expiresAt: t0 + 3_600_000, idleTimeoutMs: 3_600_000 });
    const key = { alg: 'Ed25519' as const, pub: 'a'.repeat(43) };
    const m = (i: number) => ({ id: `m${i}`, name: 'amy', ts: t0 + i, text: `t${i}`, sig: 's', key, at: t0 + i });
    const opts = (i: number) => ({ cap: 3, now: t0 + i, dedupeWindowMs: 60_000 });
    const seqs: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await (i % 3 === 0 ? b : a).appendMessage('r', m(i), opts(i));
      assert.is(r.status, 'stored');
      if (r.status === 'stored') seqs.push(r.message.seq);
    }
    assert.equal(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // m1 was stored through a, m0 through b: each is a replay on the other.
    assert.is((await b.appendMessage('r', m(1), opts(13))).status, 'duplicate');
    assert.is((await a.appendMessage('r', m(0), opts(13))).status, 'duplicate');
    const page = await b.readMessages('r', { after: 0, limit: 10 }, t0 + 20);
    assert.equal('messages' in page && page.messages.map((x) => x.seq), [10, 11, 12]);
  } finally {
    await a.close();
    await b.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

shared.run();
