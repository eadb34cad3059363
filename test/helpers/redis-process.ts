/**
 * A redis-server of a test's own, on a port of the test's range and a data
 * folder under /tmp, that the test may kill and restart: never the shared
 * Redis. Every write is in the append-only file before Redis answers it
 * (appendfsync always), so a copy of the folder is exactly what was
 * acknowledged up to then.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class RedisProcess {
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

  static async start(port: number): Promise<RedisProcess> {
    const r = new RedisProcess(port, mkdtempSync(join(tmpdir(), 'tiny-chat-redis-')));
    await r.#run();
    return r;
  }

  async #run(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        ...['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir],
        ...['--appendonly', 'yes', '--appendfsync', 'always', '--auto-aof-rewrite-percentage', '0'],
        ...['--save', ''],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.#child = child;
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${out}`));
      });
    });
  }

  /** Copies the append-only files as they are now. */
  copyData(to: string): void {
    cpSync(join(this.dir, 'appendonlydir'), to, { recursive: true });
  }

  /** SIGKILL, as a power loss or a crash ends it. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Starts again from the given copy of the append-only files. */
  async restartFrom(copy: string): Promise<void> {
    await this.kill();
    rmSync(join(this.dir, 'appendonlydir'), { recursive: true, force: true });
    cpSync(copy, join(this.dir, 'appendonlydir'), { recursive: true });
    await this.#run();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
