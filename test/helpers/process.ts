/**
 * Runs the real `tiny-chat` command as a child process (from source, through
 * tsx) and finds its address in its pino log, for tests that kill servers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

const CLI = new URL('../../server/cli.ts', import.meta.url).pathname;

/**
 * The abuse limits, high enough that durability and scale-out runs are never
 * throttled (as UNTHROTTLED in server.ts); a test's own env or flags win.
 */
const UNTHROTTLED_ENV: NodeJS.ProcessEnv = {
  TINY_CHAT_MESSAGE_RATE: '100000',
  TINY_CHAT_MESSAGE_BURST: '100000',
  TINY_CHAT_USER_MESSAGE_RATE: '100000',
  TINY_CHAT_USER_MESSAGE_BURST: '100000',
  TINY_CHAT_ANONYMOUS_ROOMS_PER_IP: '100000',
  TINY_CHAT_REST_RATE_MAX: '100000',
  TINY_CHAT_MAX_CONNECTIONS_PER_IP: '100000',
};

export async function spawnServer(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 15_000,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--host', '127.0.0.1', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // The default storage is SQLite under ./data: give each child its own file unless the test names one.
    env: {
      ...process.env,
      PORT: '0',
      TINY_CHAT_DB: join(mkdtempSync(join(tmpdir(), 'tiny-chat-')), 'chat.db'),
      ...UNTHROTTLED_ENV,
      ...env,
    },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), timeoutMs);
    const check = (): void => {
      const m = /"msg":"Server listening at (http:\/\/127\.0\.0\.1:\d+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return { child, url, output: () => out, exited };
}
