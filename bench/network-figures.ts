/**
 * The network scenarios' figures, each against its baseline from the same
 * run: ingest (with the server's CPU per acked message, main thread and
 * verify threads apart), fan-out in two room shapes (with CPU per delivery),
 * latency at fixed offered loads, and memory per idle socket.
 */
import { cpus } from 'node:os';
import type { Sizes } from './config.js';
import { figure, medianRun, type Figure } from './lib/results.js';
import type { RunOptions, ServerKind } from './lib/session.js';
import { connections } from './scenarios/connections.js';
import { fanout, manyRooms, oneRoom, type FanoutMeasure, type Shape } from './scenarios/fanout.js';
import { ingest } from './scenarios/ingest.js';
import { latency } from './scenarios/latency.js';
import { verifyRate } from './scenarios/verify.js';

type Log = (s: string) => void;

const us = (v: number): string => `${v.toFixed(1)} µs`;

/** ", run 2 of 3" in a log line, when a measurement is repeated. */
const repeatOf = (i: number, sizes: Sizes): string => (sizes.repeats > 1 ? `, run ${i + 1} of ${sizes.repeats}` : '');

/** tiny-chat's CPU per delivery by thread, the main thread's time in the kernel apart (empty for the baselines). */
function threadSplit(r: FanoutMeasure): string {
  const c = r.cpu;
  if (c?.main === undefined) return '';
  const per = (cores: number | undefined): string => us(((cores ?? NaN) * 1e6) / r.value);
  return ` (per delivery: main thread ${per(c.main)}, of it in the kernel ${per(c.mainSystem)}; verify threads ${per(c.verify)}; other threads ${per(c.other)})`;
}

export async function ingestFigures(sizes: Sizes, opts: RunOptions, log: Log): Promise<Figure[]> {
  const cores = cpus().length;
  const verify = await verifyRate(sizes.verifyMs);
  log(`raw verify: ${Math.round(verify.perSec)}/s on ${verify.bytes} bytes`);
  const best = await verifyRate(sizes.verifyMs, 'libsodium', cores);
  // CPU per verify with every core verifying: the "one verify of the best library".
  const bestMicros = (cores * 1e6) / best.perSec;
  log(`libsodium verify on ${cores} processes: ${Math.round(best.perSec)}/s, ${us(bestMicros)} of CPU each`);
  const runs = [];
  for (let i = 0; i < sizes.repeats; i++) {
    const r = await ingest(Math.max(verify.perSec, best.perSec), sizes, opts);
    log(
      `ingest${repeatOf(i, sizes)}: ${Math.round(r.value)} acked/s; server CPU per acked message ${us(r.serverPerAck)}: ` +
        `main thread ${us(r.mainPerAck)}, verify threads ${us(r.verifyPerAck)}; load generators at ` +
        `${(r.cpu?.loadgens ?? []).map((c) => c.toFixed(2)).join(', ')} of a core`,
    );
    runs.push(r);
  }
  const m = medianRun(runs, (r) => r.value);
  if (sizes.repeats > 1) log(`ingest: the median run, ${Math.round(m.value)} acked/s, makes the figures`);
  const perVerify = `libsodium verify, CPU per verify on ${cores} cores`;
  const micros = (value: number): { value: number; cpu?: typeof m.cpu } => ({
    value,
    ...(m.cpu ? { cpu: m.cpu } : {}),
  });
  return [
    figure(
      'ingest',
      'acked messages/s',
      'msg/s',
      m,
      `crypto.verify, 1 thread, ${verify.bytes} B`,
      { value: verify.perSec },
      { kind: 'min', ratio: 1.5 },
    ),
    figure(
      'ingest',
      'acked messages/s',
      'msg/s',
      m,
      `libsodium verify, ${cores} cores`,
      { value: best.perSec },
      { kind: 'min', ratio: 0.4 },
    ),
    figure(
      'ingest',
      'server CPU per acked message, main + verify threads',
      'µs',
      micros(m.mainPerAck + m.verifyPerAck),
      perVerify,
      { value: bestMicros },
      { kind: 'max', ratio: 1.5 },
    ),
    figure(
      'ingest',
      'main-thread CPU per acked message',
      'µs',
      micros(m.mainPerAck),
      perVerify,
      { value: bestMicros },
      null,
    ),
    figure(
      'ingest',
      'verify-thread CPU per acked message',
      'µs',
      micros(m.verifyPerAck),
      perVerify,
      { value: bestMicros },
      null,
    ),
  ];
}

async function shapeFigures(shape: Shape, label: string, sizes: Sizes, opts: RunOptions, log: Log): Promise<Figure[]> {
  const run = async (kind: ServerKind, name: string): Promise<FanoutMeasure> => {
    const r = await fanout(kind, shape, sizes, opts);
    log(
      `fan-out ${label}, ${name}: ${Math.round(r.value)} deliveries/s, ${us(r.cpuPerDelivery)} server CPU per delivery, ` +
        `server ${r.cpu?.server.toFixed(2)} of a core${threadSplit(r)}, load generators ` +
        `${(r.cpu?.loadgens ?? []).map((c) => c.toFixed(2)).join(', ')}`,
    );
    return r;
  };
  // Interleaved as the issue measured: baselines either side of tiny-chat in one sitting, `repeats` times over.
  const runs: Record<ServerKind, FanoutMeasure[]> = { 'ws-framed': [], tiny: [], ws: [], sio: [] };
  for (let i = 0; i < sizes.repeats; i++) {
    runs['ws-framed'].push(await run('ws-framed', `pre-framed corked bare ws${repeatOf(i, sizes)}`));
    runs.tiny.push(await run('tiny', `tiny-chat${repeatOf(i, sizes)}`));
    runs.ws.push(await run('ws', `naive bare ws${repeatOf(i, sizes)}`));
    runs.sio.push(await run('sio', `Socket.IO${repeatOf(i, sizes)}`));
  }
  const median = (kind: ServerKind): FanoutMeasure => medianRun(runs[kind], (r) => r.value);
  const [framed, tiny, ws, sio] = [median('ws-framed'), median('tiny'), median('ws'), median('sio')];
  if (sizes.repeats > 1) {
    log(
      `fan-out ${label}, median runs: pre-framed ${Math.round(framed.value)}, tiny-chat ${Math.round(tiny.value)}, ` +
        `naive ${Math.round(ws.value)}, Socket.IO ${Math.round(sio.value)} deliveries/s`,
    );
  }
  const name = `deliveries/s, ${label}`;
  const cpuOf = (r: FanoutMeasure): { value: number } => ({ value: r.cpuPerDelivery });
  return [
    figure('fan-out', name, 'del/s', tiny, 'pre-framed corked bare ws', framed, { kind: 'min', ratio: 0.5 }),
    figure('peer', name, 'del/s', tiny, 'naive bare ws broadcast', ws, { kind: 'min', ratio: 1 }),
    figure('peer', name, 'del/s', tiny, 'Socket.IO broadcast', sio, { kind: 'min', ratio: 1 }),
    figure(
      'fan-out',
      `server CPU per delivery, ${label}`,
      'µs',
      cpuOf(tiny),
      'pre-framed corked bare ws',
      cpuOf(framed),
      null,
    ),
  ];
}

export async function fanoutFigures(sizes: Sizes, opts: RunOptions, log: Log): Promise<Figure[]> {
  return [
    ...(await shapeFigures(oneRoom(sizes), `1 room × ${sizes.members}`, sizes, opts, log)),
    ...(await shapeFigures(manyRooms(sizes), `${sizes.manyRooms} rooms × ${sizes.manyRoomSize}`, sizes, opts, log)),
  ];
}

export async function latencyFigures(sizes: Sizes, opts: RunOptions, log: Log): Promise<Figure[]> {
  const out: Figure[] = [];
  // Fixed offered loads, both servers in this run: never a rate taken from an earlier measurement.
  for (const { rate, p99 } of sizes.latency) {
    const bases = [];
    const tinies = [];
    for (let i = 0; i < sizes.repeats; i++) {
      const base = await latency('ws-framed', rate, sizes, opts);
      const tiny = await latency('tiny', rate, sizes, opts);
      log(
        `latency at ${rate} msg/s into ${sizes.members} members${repeatOf(i, sizes)}: tiny-chat p50 ` +
          `${tiny.p50.toFixed(2)} ms, p99 ${tiny.p99.toFixed(2)} ms, ${tiny.delivered.toFixed(1)} % delivered; ` +
          `pre-framed p50 ${base.p50.toFixed(2)} ms, p99 ${base.p99.toFixed(2)} ms, ${base.delivered.toFixed(1)} % delivered`,
      );
      bases.push(base);
      tinies.push(tiny);
    }
    // Each server's median run by p99 (its p50 and share delivered are that run's).
    const base = medianRun(bases, (r) => r.p99);
    const tiny = medianRun(tinies, (r) => r.p99);
    const label = `pre-framed bare ws, ${rate} msg/s`;
    const at = (
      v: number,
      l: typeof tiny,
      warn: boolean,
    ): { value: number; cpu: typeof l.cpu; warnings?: string[] } => ({
      value: v,
      cpu: l.cpu,
      ...(warn ? { warnings: l.warnings } : {}),
    });
    out.push(
      figure('latency', `p50 at ${rate} msg/s`, 'ms', at(tiny.p50, tiny, true), label, at(base.p50, base, true), null),
      figure(
        'latency',
        `p99 at ${rate} msg/s`,
        'ms',
        at(tiny.p99, tiny, false),
        label,
        at(base.p99, base, false),
        'ratio' in p99 ? { kind: 'max', ratio: p99.ratio } : null,
      ),
      ...('ms' in p99
        ? [
            figure(
              'latency',
              `p99 at ${rate} msg/s`,
              'ms',
              at(tiny.p99, tiny, false),
              `goal: ${p99.ms} ms`,
              {
                value: p99.ms,
              },
              { kind: 'max', ratio: 1 },
            ),
          ]
        : []),
      // The goal is absolute: every delivery owed arrives (within 0.3 s of the window's end).
      figure(
        'latency',
        `delivered at ${rate} msg/s`,
        '%',
        at(tiny.delivered, tiny, false),
        'every delivery owed',
        { value: 100 },
        { kind: 'min', ratio: 0.999 },
      ),
    );
  }
  return out;
}

export async function connectionFigures(sizes: Sizes, opts: RunOptions, log: Log): Promise<Figure[]> {
  const base = await connections('ws', sizes, opts);
  const tiny = await connections('tiny', sizes, opts);
  log(
    `heap per connection: tiny-chat ${Math.round(tiny.heapPerConnection)} B, bare ws ${Math.round(base.heapPerConnection)} B`,
  );
  return [
    figure('connections', `RSS per socket, ${sizes.connections} idle`, 'bytes', tiny, 'bare ws, same count', base, {
      kind: 'max',
      ratio: 1.5,
    }),
  ];
}
