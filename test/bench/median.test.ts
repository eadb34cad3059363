import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { medianRun } from '../../bench/lib/results.js';

test('medianRun keeps the middle run whole, by its key, whatever the order the runs came in', () => {
  const runs = [
    { value: 30, cpu: 'c' },
    { value: 10, cpu: 'a' },
    { value: 20, cpu: 'b' },
  ];
  assert.equal(
    medianRun(runs, (r) => r.value),
    { value: 20, cpu: 'b' },
  );
  assert.is(
    medianRun([runs[0]!], (r) => r.value),
    runs[0],
  );
  // An even count: the lower middle, a run that happened rather than an average of two.
  assert.equal(
    medianRun([...runs, { value: 40, cpu: 'd' }], (r) => r.value),
    { value: 20, cpu: 'b' },
  );
  assert.equal(runs[0], { value: 30, cpu: 'c' }, 'the runs are left in their order');
  assert.throws(() => medianRun([], (r: { value: number }) => r.value), /no runs/);
});

test.run();
