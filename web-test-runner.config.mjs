// Component tests for <tiny-chat> in headless Debian chromium, against a real
// tiny-chat server started here (memory storage, real clock, real sockets).
// Run through tsx (see the test:browser script) so the server's TypeScript
// loads as is. Tests find the server at /__tiny-chat__/server; the
// /__tiny-chat__/forge route writes a message straight into storage, as an
// attacker holding the database would, to prove the widget does not trust it.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { createMemoryStorage } from './adapters/memory.ts';
import { createServer } from './server/index.ts';

const storage = await createMemoryStorage();
const app = await createServer({ storage, logger: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const server = `http://127.0.0.1:${app.server.address().port}`;

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

const tinyChatServer = {
  name: 'tiny-chat-server',
  async serve(context) {
    if (context.path === '/__tiny-chat__/server') return { body: JSON.stringify({ url: server }), type: 'json' };
    if (context.path === '/__tiny-chat__/forge' && context.method === 'POST') {
      const { roomId, message } = JSON.parse(await readBody(context.req));
      const now = Date.now();
      const result = await storage.appendMessage(
        roomId,
        { ...message, at: now },
        { cap: 500, now, dedupeWindowMs: 60_000 },
      );
      return { body: JSON.stringify(result), type: 'json' };
    }
    return undefined;
  },
  async serverStop() {
    await app.close();
    await storage.close();
  },
};

export default {
  files: ['test/widget/**/*.spec.ts'],
  nodeResolve: { exportConditions: ['production'] },
  concurrency: 1,
  testFramework: { config: { timeout: 20000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: new URL('./tsconfig.json', import.meta.url).pathname }),
    tinyChatServer,
  ],
};
