/** Turns a bench result into the stdout table, the JSON file and the results block of docs/performance.md. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult, Figure } from './lib/results.js';

const fmt = (v: number, unit: string): string => {
  if (!Number.isFinite(v)) return String(v);
  if (unit === 'ms') return v.toFixed(2);
  if (unit === 's') return v.toFixed(1);
  if (unit === 'µs' || unit === '%') return v.toFixed(1);
  if (unit === 'bytes') return `${(v / 1024).toFixed(1)} KiB`;
  return Math.round(v).toLocaleString('en-US');
};

const goalText = (f: Figure): string =>
  f.goal ? `${f.goal.kind === 'min' ? '≥' : '≤'} ${f.goal.ratio.toFixed(1)}×` : '—';
const metText = (f: Figure): string => (f.met === null ? '' : f.met ? 'met' : 'MISSED');

export function table(r: BenchResult): string {
  const head = ['scenario', 'figure', 'tiny-chat', 'baseline', 'baseline value', 'ratio', 'goal', ''];
  const rows = r.figures.map((f) => [
    f.scenario,
    `${f.figure} (${f.unit})`,
    fmt(f.value, f.unit),
    f.baseline,
    fmt(f.baselineValue, f.unit),
    `${f.ratio.toFixed(2)}×`,
    goalText(f),
    metText(f),
  ]);
  const lines = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  // Laid out as prettier lays out a markdown table, so the docs stay prettier-clean.
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function machineLine(r: BenchResult): string {
  const m = r.machine;
  return `${m.cores} cores (${m.cpu}), Node ${m.node}, ${m.platform}, load average at start ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}; storage: ${r.storage}; ${r.startedAt}, ${r.durationSeconds.toFixed(0)} s`;
}

export function writeJson(r: BenchResult, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${r.mode}-${r.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return file;
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the generated block of docs/performance.md with this run. */
export function updateDoc(r: BenchResult, docFile: string, jsonFile: string): void {
  const doc = readFileSync(docFile, 'utf8');
  const from = doc.indexOf(START);
  const to = doc.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${docFile} has no ${START} … ${END} block`);
  const warnings = r.figures.flatMap((f) => f.warnings.map((w) => `- ${f.scenario}: ${w}`));
  const block = [
    START,
    '',
    `Latest run: ${machineLine(r)}. Raw figures: \`${jsonFile}\`.`,
    '',
    table(r),
    '',
    ...(warnings.length ? ['Warnings from that run:', '', ...warnings, ''] : []),
    END,
  ].join('\n');
  writeFileSync(docFile, doc.slice(0, from) + block + doc.slice(to + END.length));
}
