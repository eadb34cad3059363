/**
 * Prometheus metrics (prom-client), every one registered here and nowhere
 * else. Off by default: a server without `metrics` builds no Metrics at all,
 * so nothing is registered, collected or timed, and callers hold
 * `Metrics | undefined` rather than a do-nothing stand-in.
 *
 * Each server has its own Registry, never prom-client's global one, so two
 * servers in one process (tests, a host app) do not share or clash.
 *
 * Must never: label a metric with anything a client chooses freely (room
 * ids, names): label values come from closed lists (error codes, outcomes,
 * storage operations, fault kinds).
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the scrape reads at collect time rather than counting as it happens. */
export interface MetricsSources {
  sockets(): number;
  rooms(): number;
  /** Verify jobs queued or running; undefined when the verifier is the caller's and cannot say. */
  verifyDepth(): number | undefined;
}

export class Metrics {
  readonly registry = new Registry();
  readonly joins: Counter;
  readonly acks: Counter<'duplicate'>;
  readonly refusals: Counter<'code'>;
  readonly resumes: Counter<'outcome'>;
  readonly slowConsumers: Counter;
  readonly rollbacks: Counter;
  readonly clientFaults: Counter<'kind'>;
  readonly storageSeconds: Histogram<'op' | 'result'>;
  readonly #lag: IntervalHistogram;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    new Gauge({
      name: 'tinychat_sockets',
      help: 'Open chat WebSockets on this instance.',
      registers,
      collect() {
        this.set(sources.sockets());
      },
    });
    new Gauge({
      name: 'tinychat_rooms',
      help: 'Rooms with at least one socket on this instance.',
      registers,
      collect() {
        this.set(sources.rooms());
      },
    });
    this.joins = new Counter({ name: 'tinychat_joins_total', help: 'Joins answered with a welcome.', registers });
    this.acks = new Counter({
      name: 'tinychat_acks_total',
      help: 'Messages acknowledged (duplicate="true" for a resend of a stored one); rate() gives acks per second.',
      labelNames: ['duplicate'],
      registers,
    });
    this.refusals = new Counter({
      name: 'tinychat_refusals_total',
      help: 'Error frames sent, by error code.',
      labelNames: ['code'],
      registers,
    });
    this.resumes = new Counter({
      name: 'tinychat_resumes_total',
      help: 'Join snapshots by resume outcome (fresh, resumed, history-gone, ahead, rewritten).',
      labelNames: ['outcome'],
      registers,
    });
    this.slowConsumers = new Counter({
      name: 'tinychat_slow_consumer_closes_total',
      help: 'Sockets closed with slow-consumer (4503).',
      registers,
    });
    this.rollbacks = new Counter({
      name: 'tinychat_history_rollbacks_total',
      help: 'Rooms closed here with history-rolled-back (4412): storage answered with an older state than was delivered.',
      registers,
    });
    this.clientFaults = new Counter({
      name: 'tinychat_client_faults_total',
      help: 'WebSocket protocol faults of clients (bad frames, compression, invalid UTF-8, oversize, resets), by kind.',
      labelNames: ['kind'],
      registers,
    });
    this.storageSeconds = new Histogram({
      name: 'tinychat_storage_seconds',
      help: 'Storage call latency by operation and result (ok, error, timeout, refused while storage was down).',
      labelNames: ['op', 'result'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    new Gauge({
      name: 'tinychat_verify_queue_depth',
      help: 'Signature checks queued for or running on the verify threads.',
      registers,
      collect() {
        const depth = sources.verifyDepth();
        if (depth !== undefined) this.set(depth);
      },
    });
    const lag = (this.#lag = monitorEventLoopDelay({ resolution: 10 }));
    lag.enable();
    new Gauge({
      name: 'tinychat_event_loop_lag_seconds',
      help: 'Event-loop delay since the last scrape: mean and p99 (quantile label).',
      labelNames: ['quantile'],
      registers,
      collect() {
        // Nanoseconds in; the histogram restarts so each scrape sees its own interval.
        this.set({ quantile: 'mean' }, Number.isNaN(lag.mean) ? 0 : lag.mean / 1e9);
        this.set({ quantile: '0.99' }, lag.percentile(99) / 1e9);
        lag.reset();
      },
    });
  }

  /** The text a scrape gets, and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  close(): void {
    this.#lag.disable();
    this.registry.clear();
  }
}
