/// <reference types="mocha" />
/** backoffDelay: the reconnect delay schedule. */
import { backoffDelay } from '../../widget/backoff.js';
import { equal } from './helpers.js';

describe('backoff', () => {
  it('backoff grows, is capped, and is jittered within [half, full]', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    equal(
      [0, 1, 2].map((n) => backoffDelay(n, opts, () => 0)),
      [250, 500, 1000],
    );
    equal(
      [0, 1, 2].map((n) => backoffDelay(n, opts, () => 0.999999)),
      [500, 1000, 2000],
    );
    equal(
      backoffDelay(50, opts, () => 0),
      15_000,
    );
  });
});
