import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { BenchResult } from '../../bench/lib/results.js';
import { clusterAvailable } from '../helpers/redis-cluster.js';

const run = promisify(execFile);
const RUN = new URL('../../bench/run.ts', import.meta.url).pathname;

// The scaleout scenario at tiny sizes (6 rooms of 2 on 3 instances and a redis-server of its own): it must run
// end to end and report well-formed figures. How many events an instance hears is asserted exactly, with real
// processes, by test/server/room-subscriptions.test.ts; how fast anything is belongs to `npm run bench`.
if (clusterAvailable()) {
  test('the scaleout bench runs and reports each instance hearing a share of the rooms', async () => {
    const out = mkdtempSync(join(tmpdir(), 'tiny-chat-bench-'));
    try {
      const args = ['--import', 'tsx', RUN, '--smoke', '--only', 'scaleout', '--out', out];
      const { stdout } = await run(process.execPath, args, { timeout: 180_000 });
      const files = readdirSync(out);
      assert.is(files.length, 1);
      const r = JSON.parse(readFileSync(join(out, files[0]!), 'utf8')) as BenchResult;
      assert.equal(
        r.figures.map((f) => f.figure),
        [
          'room events per instance, 3 instances, 6 rooms',
          'Redis commands per message (with those inside scripts)',
          'Redis bytes per message',
        ],
      );
      const [events, ...redis] = r.figures as [BenchResult['figures'][number], ...BenchResult['figures']];
      // Six rooms, one message each, two rooms per instance: each hears its two.
      assert.is(events.value, 2);
      assert.is(events.baselineValue, 6);
      assert.is(events.met, true);
      for (const f of [events, ...redis]) {
        assert.ok(Number.isFinite(f.value) && f.value >= 0, `${f.figure}: ${f.value}`);
        assert.equal(
          f.warnings.filter((w) => w.includes('error')),
          [],
        );
      }
      assert.match(stdout, '| scaleout ');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test.run();
}
