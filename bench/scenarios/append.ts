/**
 * Storage apart from the network: the append micro-benchmark (per adapter,
 * main-thread CPU and bytes written per message) and the long-room scenario
 * (one room streams many messages; the append cost at its end against its
 * start). Each adapter runs in a fresh storage process (bench/storage/append.ts).
 * The SQLite goals of issue 15 are absolute (µs and bytes per append), so
 * their baseline column holds the goal itself.
 */
import type { Sizes } from '../config.js';
import { startChild } from '../lib/child.js';
import { figure, type Figure } from '../lib/results.js';
import type { AppendArgs, AppendReport } from '../storage/append.js';

export async function appendRun(args: AppendArgs): Promise<AppendReport> {
  const child = await startChild(`${args.storage} append`, '../storage/append.ts', []);
  try {
    return await child.request<AppendReport>('run', args);
  } finally {
    await child.stop();
  }
}

export async function appendFigures(sizes: Sizes, log: (s: string) => void): Promise<Figure[]> {
  const args = { messages: sizes.appendMessages, burst: sizes.appendBurst, sample: sizes.appendSample };
  const memory = await appendRun({ storage: 'memory', ...args });
  const sqlite = await appendRun({ storage: 'sqlite', ...args });
  for (const r of [memory, sqlite]) {
    log(
      `${r.storage} append: main thread ${r.mainMicros.toFixed(1)} µs, process ${r.cpuMicros.toFixed(1)} µs, ` +
        `start ${r.startMicros.toFixed(1)} µs, end ${r.endMicros.toFixed(1)} µs, ` +
        `${Math.round(r.bytesPerMessage)} B in ${r.writeCallsPerMessage.toFixed(2)} writes per message`,
    );
  }
  const n = `${sizes.appendMessages.toLocaleString('en-US')} messages, ${sizes.appendBurst} a turn`;
  const longRoom = (r: AppendReport): Figure =>
    figure(
      'long room',
      `${r.storage}: append CPU at the end of ${n}`,
      'µs',
      { value: r.endMicros },
      `the same room at its start`,
      { value: r.startMicros },
      { kind: 'max', ratio: 1.2 },
    );
  return [
    figure(
      'append',
      `SQLite main-thread CPU per append, ${n}`,
      'µs',
      { value: sqlite.mainMicros },
      'goal: 20 µs',
      { value: 20 },
      { kind: 'max', ratio: 1 },
    ),
    figure(
      'append',
      `SQLite bytes written per append, ${n}`,
      'bytes',
      { value: sqlite.bytesPerMessage },
      'goal: 2 KiB',
      { value: 2048 },
      { kind: 'max', ratio: 1 },
    ),
    figure(
      'append',
      `memory CPU per append (every thread), ${n}`,
      'µs',
      { value: memory.cpuMicros },
      'SQLite, same stream',
      { value: sqlite.cpuMicros },
      null,
    ),
    longRoom(memory),
    longRoom(sqlite),
  ];
}
