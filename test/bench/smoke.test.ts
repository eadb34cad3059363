import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BenchResult } from '../../bench/lib/results.js';

const run = promisify(execFile);
const RUN = new URL('../../bench/run.ts', import.meta.url).pathname;

// The bench at tiny sizes: it must run end to end and report well-formed
// figures. How fast anything is belongs to `npm run bench`, never to a test.
test('the smoke bench runs every scenario and writes a well-formed result', async () => {
  const out = mkdtempSync(join(tmpdir(), 'tiny-chat-bench-'));
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', RUN, '--smoke', '--out', out], {
      // About twenty child processes with their tsx start-up: minutes on a busy machine, seconds on a quiet one.
      timeout: 300_000,
    });
    const files = readdirSync(out);
    assert.is(files.length, 1);
    assert.match(files[0]!, /^smoke-.*\.json$/);
    const r = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as BenchResult;

    assert.is(r.mode, 'smoke');
    assert.is(r.storage, 'sqlite');
    assert.ok(r.machine.cores >= 1);
    assert.match(r.machine.node, /^v\d+\./);
    assert.equal(
      r.figures.map((f) => `${f.scenario} ${f.figure}`),
      [
        'ingest acked messages/s',
        'ingest acked messages/s',
        'ingest server CPU per acked message, main + verify threads',
        'ingest main-thread CPU per acked message',
        'ingest verify-thread CPU per acked message',
        'fan-out deliveries/s, 1 room × 5',
        'peer deliveries/s, 1 room × 5',
        'peer deliveries/s, 1 room × 5',
        'fan-out server CPU per delivery, 1 room × 5',
        'fan-out deliveries/s, 4 rooms × 3',
        'peer deliveries/s, 4 rooms × 3',
        'peer deliveries/s, 4 rooms × 3',
        'fan-out server CPU per delivery, 4 rooms × 3',
        'latency p50 at 50 msg/s',
        'latency p99 at 50 msg/s',
        'latency delivered at 50 msg/s',
        'connections RSS per socket, 20 idle',
        'bigroom s until 20 members joined and listed',
        'bigroom welcome bytes per join',
        'bigroom presence bytes per join, all members',
        'append SQLite main-thread CPU per append, 2,000 messages, 8 a turn',
        'append SQLite bytes written per append, 2,000 messages, 8 a turn',
        'append memory CPU per append (every thread), 2,000 messages, 8 a turn',
        'long room memory: append CPU at the end of 2,000 messages, 8 a turn',
        'long room sqlite: append CPU at the end of 2,000 messages, 8 a turn',
      ],
    );
    for (const f of r.figures) {
      assert.ok(Number.isFinite(f.value), `${f.scenario} value ${f.value}`);
      assert.ok(Number.isFinite(f.baselineValue), `${f.scenario} baseline ${f.baselineValue}`);
      // A memory delta of a few sockets is within the noise of RSS (whole pages, given back after a GC):
      // at smoke sizes it may be zero or negative. Rates and latencies must be positive.
      if (f.scenario !== 'connections') {
        assert.ok(f.value > 0 && f.baselineValue > 0, `${f.scenario}: ${f.value} against ${f.baselineValue}`);
      }
      if (f.baselineValue !== 0) assert.ok(Math.abs(f.ratio - f.value / f.baselineValue) < 1e-9, `${f.scenario} ratio`);
      assert.equal(
        f.warnings.filter((w) => w.includes('error')),
        [],
        `${f.scenario} errors`,
      );
      if (f.goal && Number.isFinite(f.ratio)) {
        assert.is(f.met, f.goal.kind === 'min' ? f.ratio >= f.goal.ratio : f.ratio <= f.goal.ratio);
      }
    }
    assert.match(stdout, /\| scenario +\| figure +\| tiny-chat +\| baseline/);
    for (const s of ['ingest', 'fan-out', 'peer', 'latency', 'connections', 'bigroom', 'append', 'long room'])
      assert.match(stdout, `| ${s} `);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
