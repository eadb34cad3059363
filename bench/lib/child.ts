/**
 * The runner's side of a bench process: every server and load generator is a
 * child process (so that the load generator never shares an event loop or a
 * heap with what it measures), driven by request/response over the IPC channel.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Child {
  readonly pid: number;
  readonly name: string;
  request<T>(cmd: string, args?: unknown): Promise<T>;
  /** CPU seconds (user + system) the process has used so far, from /proc. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

const CLOCK_TICKS = 100;
const REQUEST_TIMEOUT_MS = 120_000;

export async function startChild(
  name: string,
  script: string,
  args: string[],
  nodeArgs: string[] = [],
): Promise<Child> {
  const child: ChildProcess = fork(new URL(script, import.meta.url).pathname, args, {
    execArgv: ['--import', 'tsx', '--expose-gc', ...nodeArgs],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Structured clone, not JSON: latency samples come back as one Float64Array per load generator.
    serialization: 'advanced',
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (m: Reply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(new Error(`${name}: ${m.error}`));
  });
  child.once('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`${name} exited (${code ?? signal}) during a request`));
    pending.clear();
  });
  const handle: Child = {
    pid: child.pid!,
    name,
    request<T>(cmd: string, a?: unknown): Promise<T> {
      if (exited) return Promise.reject(new Error(`${name} has exited`));
      const id = ++next;
      return new Promise<T>((resolve, reject) => {
        // A stuck scenario fails the bench instead of hanging it.
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: ${cmd} did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`));
        }, REQUEST_TIMEOUT_MS);
        const settle =
          <V>(f: (v: V) => void) =>
          (v: V) => {
            clearTimeout(timer);
            f(v);
          };
        pending.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject) });
        child.send({ id, cmd, args: a });
      });
    },
    cpuSeconds(): number {
      // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name) are utime and stime in ticks.
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    },
    async stop(): Promise<void> {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
  await handle.request('ping');
  return handle;
}
