/** The shape of a bench result: every figure next to its baseline from the same run, and their ratio. */

export interface Cpu {
  /** CPU used while measuring, in cores (1.0 = one core busy all the time). */
  server: number;
  /** The busiest load generator's share, and every one's. */
  loadgen: number;
  loadgens?: number[];
  /** tiny-chat only: the server's main thread, its verify threads, and its other threads (GC, libuv, checkpoints). */
  main?: number;
  /** Of the main thread's share, the time in the kernel (system calls: socket writes, file writes). */
  mainSystem?: number;
  verify?: number;
  other?: number;
}

export interface Goal {
  /** 'min': the ratio must be at least `ratio`; 'max': at most. */
  kind: 'min' | 'max';
  ratio: number;
}

export interface Measure {
  value: number;
  cpu?: Cpu;
  /** Anything that makes the figure less trustworthy (the load generator ran out of messages, errors). */
  warnings?: string[];
}

export interface Figure {
  scenario: string;
  figure: string;
  unit: string;
  value: number;
  baseline: string;
  baselineValue: number;
  ratio: number;
  goal: Goal | null;
  met: boolean | null;
  cpu?: Cpu;
  baselineCpu?: Cpu;
  warnings: string[];
}

export interface BenchResult {
  mode: 'full' | 'smoke';
  startedAt: string;
  durationSeconds: number;
  storage: string;
  machine: { cores: number; cpu: string; node: string; platform: string; loadAverage: number[] };
  figures: Figure[];
}

export function figure(
  scenario: string,
  name: string,
  unit: string,
  measured: Measure,
  baseline: string,
  base: Measure,
  goal: Goal | null,
): Figure {
  const ratio = measured.value / base.value;
  return {
    scenario,
    figure: name,
    unit,
    value: measured.value,
    baseline,
    baselineValue: base.value,
    ratio,
    goal,
    met:
      goal === null || !Number.isFinite(ratio) ? null : goal.kind === 'min' ? ratio >= goal.ratio : ratio <= goal.ratio,
    ...(measured.cpu ? { cpu: measured.cpu } : {}),
    ...(base.cpu ? { baselineCpu: base.cpu } : {}),
    warnings: [...(measured.warnings ?? []), ...(base.warnings ?? []).map((w) => `baseline: ${w}`)],
  };
}

/** The median run of `runs` by `key` (the lower middle one of an even count), kept whole with its CPU figures. */
export function medianRun<T>(runs: readonly T[], key: (r: T) => number): T {
  if (runs.length === 0) throw new Error('medianRun of no runs');
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** Warnings from a load-generator report. */
export function warningsOf(r: { exhausted?: boolean; errors?: string[] }): string[] {
  const out: string[] = [];
  if (r.exhausted) out.push('the load generator ran out of pre-signed messages inside the window');
  for (const e of r.errors ?? []) out.push(`error: ${e.slice(0, 200)}`);
  return out;
}
