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
import { stopLoadgens, type RunOptions } from './lib/session.js';
import { connectionFigures, fanoutFigures, ingestFigures, latencyFigures } from './network-figures.js';
import { machineLine, table, updateDoc, writeJson } from './report.js';
import { appendFigures } from './scenarios/append.js';
import { bigRoomFigures } from './scenarios/bigroom.js';
import { scaleout } from './scenarios/scaleout.js';

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

/**
 * Runs a scenario if asked for, then stops the load generators, so the next one starts with fresh ones rather than
 * with what the last left behind (the 1,000 × 10 fan-out leaves 10,000 sockets' worth of heap). After that fan-out,
 * the pre-framed server's p99 at 500 msg/s was 11-15 ms with kept generators and 9.1-13.8 ms with fresh ones, against
 * 5.6-8.5 ms in latency-only runs: part of the difference, not all of it (docs/performance.md).
 */
async function scenario(name: string, run: () => Promise<Figure[]>): Promise<void> {
  if (!only.has(name)) return;
  figures.push(...(await run()));
  await stopLoadgens();
}

await scenario('ingest', () => ingestFigures(sizes, opts, log));
await scenario('fanout', () => fanoutFigures(sizes, opts, log));
await scenario('latency', () => latencyFigures(sizes, opts, log));
await scenario('connections', () => connectionFigures(sizes, opts, log));
await scenario('bigroom', () => bigRoomFigures(sizes, opts, log));
await scenario('append', () => appendFigures(sizes, log));

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

await stopLoadgens();

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
