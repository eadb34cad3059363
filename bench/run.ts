/**
 * `npm run bench`: every scenario of issue 6 against its baseline, measured
 * in the same run on the same machine with the same load generator, each
 * server and load generator in its own process.
 *
 *   --smoke          tiny sizes, for npm test: checks that it runs, not how fast
 *   --out DIR        where the JSON goes (default bench/results)
 *   --storage NAME   tiny-chat storage adapter: sqlite (default, as the CLI) or memory
 *   --profile        tiny-chat server runs under --cpu-prof (profiles in bench/results/profiles)
 *   --only A,B       run only these scenarios (ingest, fanout, latency, connections, bigroom, append; and scaleout,
 *                    which is not in the default run: it needs redis-server on the machine)
 *   --no-docs        do not rewrite the results block of docs/performance.md
 */
import { cpus, loadavg } from 'node:os';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, SMOKE } from './config.js';
import { figure, type BenchResult, type Figure } from './lib/results.js';
import type { RunOptions } from './lib/session.js';
import { machineLine, table, updateDoc, writeJson } from './report.js';
import { appendFigures } from './scenarios/append.js';
import { bigRoomFigures } from './scenarios/bigroom.js';
import { connections } from './scenarios/connections.js';
import { fanout } from './scenarios/fanout.js';
import { ingest } from './scenarios/ingest.js';
import { latency } from './scenarios/latency.js';
import { scaleout } from './scenarios/scaleout.js';
import { verifyRate } from './scenarios/verify.js';

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    out: { type: 'string' },
    storage: { type: 'string', default: 'sqlite' },
    profile: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
  },
});

const root = new URL('..', import.meta.url).pathname;
const sizes = values.smoke ? SMOKE : FULL;
const only = new Set((values.only ?? 'ingest,fanout,latency,connections,bigroom,append').split(','));
const opts: RunOptions = {
  storage: values.storage,
  tinyNodeArgs: values.profile ? ['--cpu-prof', '--cpu-prof-dir', `${root}bench/results/profiles`] : [],
};
const log = (s: string): void => void process.stderr.write(`bench: ${s}\n`);
const t0 = performance.now();
const startedAt = new Date().toISOString();
const loadAtStart = loadavg();
const figures: Figure[] = [];

if (only.has('ingest')) {
  const verify = await verifyRate(sizes.verifyMs);
  log(`raw verify: ${Math.round(verify.perSec)}/s on ${verify.bytes} bytes`);
  const best = await verifyRate(sizes.verifyMs, 'libsodium', cpus().length);
  log(`libsodium verify on ${cpus().length} processes: ${Math.round(best.perSec)}/s`);
  const measured = await ingest(Math.max(verify.perSec, best.perSec), sizes, opts);
  figures.push(
    figure(
      'ingest',
      'acked messages/s',
      'msg/s',
      measured,
      `crypto.verify, 1 thread, ${verify.bytes} B`,
      { value: verify.perSec },
      { kind: 'min', ratio: 1.5 },
    ),
    figure(
      'ingest',
      'acked messages/s',
      'msg/s',
      measured,
      `libsodium verify, ${cpus().length} cores`,
      { value: best.perSec },
      { kind: 'min', ratio: 0.4 },
    ),
  );
}

if (only.has('fanout')) {
  const framed = await fanout('ws-framed', sizes, opts);
  log(`pre-framed corked bare ws fan-out: ${Math.round(framed.value)} deliveries/s`);
  const ws = await fanout('ws', sizes, opts);
  log(`naive bare ws fan-out: ${Math.round(ws.value)} deliveries/s`);
  const tiny = await fanout('tiny', sizes, opts);
  const sio = await fanout('sio', sizes, opts);
  const name = `deliveries/s, ${sizes.members} members`;
  figures.push(
    figure('fan-out', name, 'del/s', tiny, 'pre-framed corked bare ws', framed, { kind: 'min', ratio: 0.5 }),
  );
  figures.push(figure('peer', name, 'del/s', tiny, 'naive bare ws broadcast', ws, { kind: 'min', ratio: 1 }));
  figures.push(figure('peer', name, 'del/s', tiny, 'Socket.IO broadcast', sio, { kind: 'min', ratio: 1 }));
}

if (only.has('latency')) {
  // Fixed offered loads, both servers in this run: never a rate taken from an earlier measurement.
  for (const rate of sizes.latencyRates) {
    log(`latency at ${rate} messages/s into ${sizes.members} members`);
    const base = await latency('ws-framed', rate, sizes, opts);
    const tiny = await latency('tiny', rate, sizes, opts);
    const label = `pre-framed bare ws, ${rate} msg/s`;
    figures.push(
      figure(
        'latency',
        `p50 at ${rate} msg/s`,
        'ms',
        { value: tiny.p50, cpu: tiny.cpu, warnings: tiny.warnings },
        label,
        { value: base.p50, cpu: base.cpu, warnings: base.warnings },
        null,
      ),
      figure(
        'latency',
        `p99 at ${rate} msg/s`,
        'ms',
        { value: tiny.p99, cpu: tiny.cpu },
        label,
        { value: base.p99, cpu: base.cpu },
        { kind: 'max', ratio: 2 },
      ),
    );
  }
}

if (only.has('connections')) {
  const base = await connections('ws', sizes, opts);
  const tiny = await connections('tiny', sizes, opts);
  log(
    `heap per connection: tiny-chat ${Math.round(tiny.heapPerConnection)} B, bare ws ${Math.round(base.heapPerConnection)} B`,
  );
  figures.push(
    figure('connections', `RSS per socket, ${sizes.connections} idle`, 'bytes', tiny, 'bare ws, same count', base, {
      kind: 'max',
      ratio: 2,
    }),
  );
}

if (only.has('bigroom')) figures.push(...(await bigRoomFigures(sizes, opts, log)));

if (only.has('append')) figures.push(...(await appendFigures(sizes, log)));

if (only.has('scaleout')) {
  const r = await scaleout(sizes, opts);
  log(
    `scaleout: ${r.sockets} sockets in ${r.rooms} rooms on ${r.instances} instances; ${r.messages} messages; ` +
      `events per instance ${r.eventsPerInstance.join(', ')}; per join ${r.perJoin.commands.toFixed(1)} Redis commands, ` +
      `${Math.round(r.perJoin.bytes)} B; per message ${r.perMessage.commands.toFixed(1)} commands, ` +
      `${Math.round(r.perMessage.bytes)} B; idle ${Math.round(r.background.commands)} commands/s, ` +
      `${Math.round(r.background.bytes)} B/s; ${Math.round(r.deliveriesPerSecond)} deliveries/s`,
  );
  const warnings = r.errors.map((e) => `error: ${e.slice(0, 200)}`);
  const mean = r.eventsPerInstance.reduce((a, b) => a + b, 0) / r.instances;
  figures.push(
    figure(
      'scaleout',
      `room events per instance, ${r.instances} instances, ${r.rooms} rooms`,
      'events',
      { value: mean, warnings },
      "every room's events (one shared channel)",
      { value: r.messages },
      { kind: 'max', ratio: 0.5 },
    ),
    figure(
      'scaleout',
      'Redis commands per message (with those inside scripts)',
      'cmds',
      { value: r.perMessage.commands },
      "per join (its room's creation shared)",
      { value: r.perJoin.commands },
      null,
    ),
    figure(
      'scaleout',
      'Redis bytes per message',
      'bytes',
      { value: r.perMessage.bytes },
      'Redis bytes per join',
      { value: r.perJoin.bytes },
      null,
    ),
  );
}

const result: BenchResult = {
  mode: values.smoke ? 'smoke' : 'full',
  startedAt,
  durationSeconds: (performance.now() - t0) / 1000,
  storage: opts.storage,
  machine: {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadAtStart,
  },
  figures,
};

const file = writeJson(result, values.out ?? `${root}bench/results`);
process.stdout.write(`${machineLine(result)}\n\n${table(result)}\n\nJSON: ${file}\n`);
if (!values.smoke && !values['no-docs'] && values.only === undefined) {
  updateDoc(result, `${root}docs/performance.md`, relative(root, file));
}
