import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { testSuite } from './contract.js';

testSuite('memory', async () => {
  const storage = await createMemoryStorage();
  return [storage, () => storage.close()];
});

// Backend-only: dedupe entries outlive trimmed messages for the window, then go.
const test = suite('memory adapter: dedupe entries are forgotten after the window');

test('a trimmed message replayed after the window is a new message; one inside it is a duplicate', async () => {
  const storage = await createMemoryStorage();
  try {
    const t0 = 1_700_000_000_000;
    await storage.createRoom({ id: 'r', createdAt: t0, expiresAt: t0 + 3_600_000, idleTimeoutMs: 3_600_000 });
    const key = { alg: 'Ed25519' as const, pub: 'a'.repeat(43) };
    const m = (i: number) => ({ id: `m${i}`, name: 'amy', ts: t0 + i * 1000, text: `t${i}`, sig: 's', key, at: t0 });
    // 200 messages a second apart, a 10-message cap and a 60-second window.
    for (let i = 0; i < 200; i++) {
      const now = t0 + i * 1000;
      const r = await storage.appendMessage('r', { ...m(i), at: now }, { cap: 10, now, dedupeWindowMs: 60_000 });
      assert.is(r.status, 'stored');
    }
    const now = t0 + 200_000;
    const opts = { cap: 10, now, dedupeWindowMs: 60_000 };
    assert.is((await storage.appendMessage('r', { ...m(150), at: now }, opts)).status, 'duplicate');
    const old = await storage.appendMessage('r', { ...m(5), at: now }, opts);
    assert.is(old.status === 'stored' && old.message.seq, 201);
  } finally {
    await storage.close();
  }
});

test.run();
