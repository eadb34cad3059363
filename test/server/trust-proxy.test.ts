import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createMemoryStorage } from '../../adapters/memory.js';
import { startServer } from '../helpers/server.js';

test('behind a trusted proxy, per-IP limits count the forwarded client address', async () => {
  const srv = await startServer({
    storage: await createMemoryStorage(),
    trustProxy: ['127.0.0.1'],
    anonymousRoomsPerIp: 1,
  });
  try {
    const from = (ip: string): Promise<Response> =>
      fetch(`${srv.url}/rooms`, { method: 'POST', headers: { 'x-forwarded-for': ip } });
    assert.is((await from('203.0.113.1')).status, 201);
    assert.is((await from('203.0.113.1')).status, 429);
    assert.is((await from('203.0.113.2')).status, 201);
  } finally {
    await srv.stop();
    await srv.storage.close();
  }
});

test('without a trusted proxy, a forwarded address is ignored', async () => {
  const srv = await startServer({ anonymousRoomsPerIp: 1 });
  try {
    const from = (ip: string): Promise<Response> =>
      fetch(`${srv.url}/rooms`, { method: 'POST', headers: { 'x-forwarded-for': ip } });
    assert.is((await from('203.0.113.1')).status, 201);
    assert.is((await from('203.0.113.2')).status, 429);
  } finally {
    await srv.stop();
  }
});

test.run();
