/**
 * The storage process of the append micro-benchmark and the long-room
 * scenario: one adapter (memory or SQLite in a fresh file), driven directly,
 * with no network and no verification, so the storage cost is seen apart.
 *
 * It appends `messages` bench-sized messages to one room, `burst` of them
 * submitted in each event-loop turn (as a busy socket's sends arrive), one
 * millisecond of storage clock apart, so a 50k stream stays inside the dedupe
 * window the server uses. It reports the CPU per append over the whole run
 * (the main thread apart), at the start and at the end of the stream
 * (process CPU, after a warm-up room so the start is not the JIT's), and the bytes and
 * write calls the process made (from /proc/self/io: every write the adapter
 * did, WAL and checkpoints included) per message.
 *
 * Never measures a timed test's pass/fail: it reports numbers to bench/run.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStorage } from '../../adapters/memory.js';
import { createSqliteStorage } from '../../adapters/sqlite/index.js';
import type { NewMessage, Storage } from '../../adapters/types.js';
import { TEXT } from '../lib/payload.js';
import { serve } from '../lib/serve.js';

export interface AppendArgs {
  storage: 'memory' | 'sqlite';
  messages: number;
  burst: number;
  /** How many messages make the "start" and the "end" samples (the start begins after one cap's worth). */
  sample: number;
}

export interface AppendReport {
  storage: string;
  messages: number;
  burst: number;
  /** Process CPU per append (every thread), whole run (µs). */
  cpuMicros: number;
  /** Main-thread CPU per append, whole run (µs; /proc ticks, so 10 ms resolution over the run). */
  mainMicros: number;
  /** Wall time per append, whole run (µs). */
  wallMicros: number;
  startMicros: number;
  endMicros: number;
  bytesPerMessage: number;
  writeCallsPerMessage: number;
}

const CAP = 500;
/** The server's default: 2 × the 5-minute clock skew + 1 minute. */
const DEDUPE_WINDOW_MS = 11 * 60_000;
const SIG = 'S'.repeat(86);
const KEY = { alg: 'Ed25519' as const, pub: 'P'.repeat(43) };

function io(): { wchar: number; syscw: number } {
  const text = readFileSync('/proc/self/io', 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { wchar: field('wchar'), syscw: field('syscw') };
}

/** CPU time of the main thread alone (the checkpointer is a thread of its own), in µs, at 100 ticks/s. */
function mainThreadMicros(): number {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

const cpuMicros = (): number => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

async function open(kind: AppendArgs['storage'], dir: string): Promise<Storage> {
  return kind === 'memory' ? createMemoryStorage() : createSqliteStorage({ path: join(dir, 'chat.db') });
}

const WARM_UP = 5000;

/** Creates `room` and streams `count` messages into it, `burst` per turn; `each` runs before every burst. */
async function stream(
  storage: Storage,
  room: string,
  t0: number,
  count: number,
  burst: number,
  each: () => void = () => {},
): Promise<void> {
  await storage.createRoom({ id: room, createdAt: t0, expiresAt: t0 + 24 * 3600_000, idleTimeoutMs: 3600_000 });
  const message = (i: number): NewMessage => {
    const now = t0 + i;
    return {
      id: `c17-${String(i).padStart(6, '0')}`,
      name: 'member-10',
      ts: now,
      text: TEXT,
      sig: SIG,
      key: KEY,
      at: now,
    };
  };
  for (let i = 0; i < count; i += burst) {
    each();
    const n = Math.min(burst, count - i);
    const results = await Promise.all(
      Array.from({ length: n }, (_, j) => {
        const m = message(i + j);
        return storage.appendMessage(room, m, { cap: CAP, now: m.at, dedupeWindowMs: DEDUPE_WINDOW_MS });
      }),
    );
    for (const r of results) if (r.status !== 'stored') throw new Error(`append answered ${r.status}`);
  }
}

async function run(a: AppendArgs): Promise<AppendReport> {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-append-'));
  const storage = await open(a.storage, dir);
  try {
    const t0 = 1_700_000_000_000;
    await stream(storage, 'warm-up', t0, WARM_UP, a.burst);
    const room = 'long-room';
    const cpuAt: number[] = [];
    const io0 = io();
    const wall0 = performance.now();
    const cpu0 = cpuMicros();
    const main0 = mainThreadMicros();
    await stream(storage, room, t0, a.messages, a.burst, () => cpuAt.push(cpuMicros()));
    cpuAt.push(cpuMicros());
    const wall = performance.now() - wall0;
    const cpu = cpuMicros() - cpu0;
    const main = mainThreadMicros() - main0;
    const io1 = io();
    // CPU per message over `sample` messages from burst index `from`.
    const bursts = Math.max(1, Math.round(a.sample / a.burst));
    const over = (from: number): number => (cpuAt[from + bursts]! - cpuAt[from]!) / (bursts * a.burst);
    const startBurst = Math.ceil((2 * CAP) / a.burst);
    return {
      storage: a.storage,
      messages: a.messages,
      burst: a.burst,
      cpuMicros: cpu / a.messages,
      mainMicros: main / a.messages,
      wallMicros: (wall * 1000) / a.messages,
      startMicros: over(Math.min(startBurst, cpuAt.length - 1 - bursts)),
      endMicros: over(cpuAt.length - 1 - bursts),
      bytesPerMessage: (io1.wchar - io0.wchar) / a.messages,
      writeCallsPerMessage: (io1.syscw - io0.syscw) / a.messages,
    };
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

serve({ run });
