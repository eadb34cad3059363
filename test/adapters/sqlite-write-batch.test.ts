import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WriteBatch } from '../../adapters/sqlite/write-batch.js';

const test = suite('sqlite write batch: the small writes of one turn, one commit, a savepoint each');

test('writes of one turn commit together; one that throws is rolled back alone and only its caller told', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-batch-'));
  const db = new Database(join(dir, 'b.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY) STRICT');
    const tx = db.transaction((fn: () => unknown) => fn());
    let commits = 0;
    const batch = new WriteBatch(
      (fn) => {
        commits++;
        return tx.immediate(fn) as ReturnType<typeof fn>;
      },
      (fn) => tx(fn),
    );
    const insert = (k: string) => () => db.prepare('INSERT INTO t VALUES (?)').run(k).changes;
    const failing = () => {
      insert('c')();
      throw new Error('refused');
    };
    const results = await Promise.allSettled([batch.run(insert('a')), batch.run(failing), batch.run(insert('b'))]);
    assert.equal(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
      [1, 'refused', 1],
    );
    assert.is(commits, 1);
    const reader = new Database(join(dir, 'b.db'), { readonly: true });
    assert.equal(
      reader
        .prepare('SELECT k FROM t ORDER BY k')
        .all()
        .map((r) => (r as { k: string }).k),
      ['a', 'b'],
    );
    reader.close();
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
