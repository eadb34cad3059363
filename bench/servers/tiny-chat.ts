/**
 * The tiny-chat server as the bench runs it: the library's createServer with
 * the CLI's defaults, logging off, on the storage named by argv[2].
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '../../adapters/types.js';
import { createServer } from '../../server/index.js';
import { serve } from '../lib/serve.js';

const kind = process.argv[2] ?? 'memory';
let dir: string | undefined;

async function openStorage(): Promise<Storage> {
  if (kind === 'memory') {
    const { createMemoryStorage } = await import('../../adapters/memory.js');
    return createMemoryStorage();
  }
  throw new Error(`unknown storage ${kind}`);
}

const storage = await openStorage();
const app = await createServer({ storage, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });

serve({
  address: () => {
    const a = app.server.address();
    if (!a || typeof a === 'string') throw new Error('unexpected address');
    return { url: `http://127.0.0.1:${a.port}`, storage: kind };
  },
  connections: () => app.tinyChat.context.connections.size,
});

process.on('exit', () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});
void mkdtempSync;
void tmpdir;
void join;
