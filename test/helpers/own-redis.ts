/**
 * A Redis of the test's own, on the first free port of a range (6401-6409 by
 * default), with its own folder under /tmp: one the test may stop (SIGSTOP),
 * resume, kill, restart, or restart from an older copy of its data. The shared
 * Redis on 6379 is never touched. Its append-only file is synced on every
 * write, so a SIGKILL loses nothing that was acknowledged, and a copy of the
 * folder is exactly what was acknowledged up to then.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const PORTS = [6401, 6402, 6403, 6404, 6405, 6406, 6407, 6408, 6409];

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export class OwnRedis {
  readonly port: number;
  readonly dir: string;
  #child: ChildProcess | undefined;

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(ports: readonly number[] = PORTS): Promise<OwnRedis> {
    for (const port of ports) {
      if (!(await portFree(port))) continue;
      const redis = new OwnRedis(port, mkdtempSync(join(tmpdir(), 'tiny-chat-redis-')));
      await redis.restart();
      return redis;
    }
    throw new Error(`no free port in ${ports[0]}-${ports.at(-1)}`);
  }

  /** Starts (again) on the same port and folder, and resolves once it answers. */
  async restart(): Promise<void> {
    this.#child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        // No rewrite: a copy of the append-only folder stays a valid older state.
        '--auto-aof-rewrite-percentage',
        '0',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`own redis did not start: ${String(err)}`);
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** Sends a signal to the redis-server this started (SIGSTOP, SIGCONT, SIGKILL). */
  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Copies the append-only files as they are now. */
  copyData(to: string): void {
    cpSync(join(this.dir, 'appendonlydir'), to, { recursive: true });
  }

  /** SIGKILLs it (as a power loss would) and starts it again from a copy made by copyData. */
  async restartFrom(copy: string): Promise<void> {
    await this.kill();
    rmSync(join(this.dir, 'appendonlydir'), { recursive: true, force: true });
    cpSync(copy, join(this.dir, 'appendonlydir'), { recursive: true });
    await this.restart();
  }

  async stop(): Promise<void> {
    this.signal('SIGCONT');
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
