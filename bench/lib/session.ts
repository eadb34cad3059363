/**
 * One measured run against one server: a fresh server process, torn down
 * afterwards, and one or more load-generator processes, with the CPU each
 * used. Several load generators keep each below about 0.7 of a core, so that
 * a fast baseline is not capped by its client (issue 15). Load generators are
 * started once per bench run and reset (every client closed, a full GC)
 * after each measurement: a fresh one per measurement cost the smoke run
 * dozens of tsx start-ups.
 */
import type { Kind } from '../loadgen/clients.js';
import { startChild, type Child } from './child.js';
import type { Cpu } from './results.js';

export interface RunOptions {
  storage: string;
  /** Extra node flags for the tiny-chat server (e.g. --cpu-prof). */
  tinyNodeArgs: string[];
}

export interface Session {
  server: Child;
  /** The first load generator (the only one unless more were asked for). */
  loadgen: Child;
  loadgens: Child[];
  url: string;
  /** Runs a command on the first load generator, and the CPU share each process took meanwhile (1.0 = one core). */
  measure<T>(cmd: string, args: unknown): Promise<{ result: T; cpu: Cpu }>;
  /** Runs a command on every load generator at once (arguments per generator), with the CPU shares. */
  measureAll<T>(cmd: string, args: (i: number) => unknown): Promise<{ results: T[]; cpu: Cpu }>;
}

/** A server to measure: a client kind, or the pre-framed bare ws server (spoken to as 'ws'). */
export type ServerKind = Kind | 'ws-framed';

/** The protocol the load generator speaks to a server. */
export const clientKind = (k: ServerKind): Kind => (k === 'ws-framed' ? 'ws' : k);

const SCRIPTS: Record<ServerKind, string> = {
  tiny: '../servers/tiny-chat.ts',
  ws: '../servers/bare-ws.ts',
  'ws-framed': '../servers/bare-ws-framed.ts',
  sio: '../servers/socket-io.ts',
};

interface Threads {
  main: number;
  mainSystem: number;
  verify: number;
  other: number;
}

/** Load generators kept between measurements; one that failed a reset is stopped and replaced. */
const kept: Child[] = [];

async function loadgensFor(count: number): Promise<Child[]> {
  while (kept.length < count) kept.push(await startChild(`load generator ${kept.length}`, '../loadgen/main.ts', []));
  return kept.slice(0, count);
}

async function reset(lg: Child): Promise<void> {
  try {
    await lg.request('closeAll');
    await lg.request('memory');
  } catch {
    kept.splice(kept.indexOf(lg), 1);
    await lg.stop();
  }
}

/** Stops the kept load generators (the end of a bench run). */
export async function stopLoadgens(): Promise<void> {
  await Promise.all(kept.splice(0).map((l) => l.stop()));
}

export async function withSession<T>(
  kind: ServerKind,
  opts: RunOptions,
  fn: (s: Session) => Promise<T>,
  loadgenCount = 1,
): Promise<T> {
  const server = await startChild(
    `${kind} server`,
    SCRIPTS[kind],
    kind === 'tiny' ? [opts.storage] : [],
    kind === 'tiny' ? opts.tinyNodeArgs : [],
  );
  let loadgens: Child[] = [];
  try {
    loadgens = await loadgensFor(loadgenCount);
    const { url } = await server.request<{ url: string }>('address');
    // The tiny-chat server splits its CPU by thread (bench/servers/tiny-chat.ts); the baselines have one that counts.
    const threads = (): Promise<Threads | undefined> =>
      kind === 'tiny' ? server.request<Threads>('threads') : Promise.resolve(undefined);
    const run = async <R>(lgs: Child[], go: () => Promise<R>): Promise<{ result: R; cpu: Cpu }> => {
      const t0 = await threads();
      const c0 = [server.cpuSeconds(), ...lgs.map((l) => l.cpuSeconds())];
      const w0 = performance.now();
      const result = await go();
      const wall = (performance.now() - w0) / 1000;
      const c1 = [server.cpuSeconds(), ...lgs.map((l) => l.cpuSeconds())];
      const t1 = await threads();
      const shares = lgs.map((_, i) => (c1[i + 1]! - c0[i + 1]!) / wall);
      return {
        result,
        cpu: {
          server: (c1[0]! - c0[0]!) / wall,
          loadgen: Math.max(...shares),
          loadgens: shares,
          ...(t0 && t1
            ? {
                main: (t1.main - t0.main) / wall,
                mainSystem: (t1.mainSystem - t0.mainSystem) / wall,
                verify: (t1.verify - t0.verify) / wall,
                other: (t1.other - t0.other) / wall,
              }
            : {}),
        },
      };
    };
    return await fn({
      server,
      loadgen: loadgens[0]!,
      loadgens,
      url,
      measure: <R>(cmd: string, args: unknown) => run([loadgens[0]!], () => loadgens[0]!.request<R>(cmd, args)),
      async measureAll<R>(cmd: string, args: (i: number) => unknown) {
        const { result, cpu } = await run(loadgens, () =>
          Promise.all(loadgens.map((l, i) => l.request<R>(cmd, args(i)))),
        );
        return { results: result, cpu };
      },
    });
  } finally {
    await server.stop();
    await Promise.all(loadgens.map(reset));
  }
}
