/**
 * The command line and environment, read off the options schema: every
 * option with a flag there is a flag here, parsed by its kind, checked by
 * the schema with the flag or variable named in the error. `--help` and
 * docs/configuration.md are printed from the same table. A flag beats its
 * environment variable, which beats the default.
 *
 * Must never: hold a default, a bound or a flag of its own (server/options/
 * schema.ts has them all), or start a server with a value it did not check.
 */
import { parseArgs } from 'node:util';
import { KindGuard, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { meta, type CliSpec, type Meta } from './kinds.js';
import { pathName, resolveGroup, show, type Failure } from './resolve.js';
import { GROUPS, type GroupName } from './schema.js';

export interface CliEntry extends CliSpec {
  readonly description: string;
  readonly group: GroupName;
  /** Where the value goes in its group's options: one key, or two for a field of a rate. */
  readonly path: readonly string[];
  readonly schema: TSchema;
  readonly meta: Meta;
  /** The default the command starts from. */
  readonly value: unknown;
}

const ORDER: readonly GroupName[] = ['command', 'limits', 'serving', 'security', 'http'];

function collect(): CliEntry[] {
  const out: CliEntry[] = [];
  const add = (group: GroupName, path: string[], schema: TSchema): void => {
    const m = meta(schema);
    if (m?.cli) {
      const { description } = m;
      out.push({ ...m.cli, description, group, path, schema, meta: m, value: m.cli.default ?? m.default });
    }
    // A rate has a flag per field.
    if (KindGuard.IsObject(schema)) {
      for (const [key, prop] of Object.entries(schema.properties)) add(group, [...path, key], prop);
    }
  };
  for (const group of ORDER) {
    const properties: Record<string, TSchema> = GROUPS[group].properties;
    for (const [key, prop] of Object.entries(properties)) add(group, [key], prop);
  }
  return out;
}

/** Every flag, in `--help` order; `--help` itself is not an option and comes last in the help. */
export const CLI_OPTIONS: readonly CliEntry[] = collect();

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "250ms", "30s", "5m", "12h"; a bare number is seconds. Returns milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNITS[m[2] ?? 's']!;
}

/** The shortest exact unit: 300000 → "5m". */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) if (ms % UNITS[unit]! === 0) return `${ms / UNITS[unit]!}${unit}`;
  return `${ms}ms`;
}

const BOOLEANS = new Map([
  ['true', true],
  ['on', true],
  ['1', true],
  ['false', false],
  ['off', false],
  ['0', false],
]);

/**
 * A typed text as the schema wants it. What cannot be read is returned as
 * typed, so that the schema refuses it with its own phrase.
 */
function fromText(schema: TSchema, raw: string, m: Meta | undefined): unknown {
  const t = raw.trim();
  if (KindGuard.IsInteger(schema) || KindGuard.IsNumber(schema)) {
    if (m?.unit === 'ms') return parseDuration(t) ?? raw;
    return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : raw;
  }
  if (KindGuard.IsBoolean(schema)) return BOOLEANS.get(t) ?? raw;
  if (KindGuard.IsArray(schema)) {
    if (!KindGuard.IsObject(schema.items)) return t === '' ? [] : t.split(',').map((s) => s.trim());
    try {
      const parsed: unknown = JSON.parse(t);
      return parsed;
    } catch {
      return raw;
    }
  }
  if (KindGuard.IsUnion(schema)) {
    if (m?.cli?.wildcard && t === '*') return true;
    for (const member of schema.anyOf) {
      const value = fromText(member, raw, undefined);
      if (Value.Check(member, value)) return value;
    }
  }
  return raw;
}

/** The value of a flag in `--help` and the docs, as a user would type it. */
export function formatDefault(entry: CliEntry): string {
  // An option with no default (a secret) is shown as `none`.
  if (entry.value === undefined) return 'none';
  const { value } = entry;
  if (value === true && entry.wildcard) return '*';
  if (typeof value === 'number' && entry.meta.unit === 'ms') return formatDuration(value);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** `<duration>`, `<integer>`… as `--help` shows a flag's argument. */
export function kindName(entry: CliEntry): string {
  const { schema } = entry;
  if (entry.meta.unit === 'ms') return 'duration';
  if (KindGuard.IsInteger(schema)) return 'integer';
  if (KindGuard.IsNumber(schema)) return 'number';
  if (KindGuard.IsBoolean(schema)) return 'boolean';
  if (KindGuard.IsArray(schema)) return KindGuard.IsObject(schema.items) ? 'json' : 'list';
  if (KindGuard.IsUnion(schema) && schema.anyOf.some((s) => KindGuard.IsArray(s))) return 'list';
  return 'string';
}

/** The allowed values of a choice, else undefined. */
export function choices(entry: CliEntry): string[] | undefined {
  const { schema } = entry;
  if (!KindGuard.IsUnion(schema) || !schema.anyOf.every((s) => KindGuard.IsLiteralString(s))) return undefined;
  return schema.anyOf.map((s) => String(s.const));
}

type Groups = { readonly [G in GroupName]: Static<(typeof GROUPS)[G]> };

export interface ParsedCli extends Groups {
  readonly help: boolean;
}

export function parseCli(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCli {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(CLI_OPTIONS.map((o) => [o.flag, { type: 'string' as const }])),
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  const flags: Record<string, string | boolean | undefined> = values;
  const given: Record<GroupName, Record<string, unknown>> = {
    command: {},
    limits: {},
    serving: {},
    security: {},
    http: {},
  };
  /** For each value read from the command line, its flag or variable and text, by group and path. */
  const sources = new Map<string, { name: string; raw: string }>();
  for (const entry of CLI_OPTIONS) {
    const flagValue = flags[entry.flag];
    const envValue = env[entry.env];
    let source: { name: string; raw: string } | undefined;
    if (typeof flagValue === 'string') source = { name: `--${entry.flag}`, raw: flagValue };
    else if (envValue !== undefined && envValue !== '') source = { name: entry.env, raw: envValue };
    let value = source ? fromText(entry.schema, source.raw, entry.meta) : entry.value;
    if (value === undefined) continue;
    if (source) sources.set(`${entry.group}/${entry.path.join('/')}`, source);
    const [key, field] = entry.path;
    if (field !== undefined) {
      // One field of a rate: the other keeps its default.
      const props: Record<string, TSchema | undefined> = GROUPS[entry.group].properties;
      const rate = props[key!];
      const parent: unknown = given[entry.group][key!] ?? (rate && meta(rate)?.default);
      value = { ...(typeof parent === 'object' ? parent : {}), [field]: value };
    }
    given[entry.group][key!] = value;
  }
  const explain = (group: GroupName) => (f: Failure) => {
    for (let depth = f.path.length; depth > 0; depth--) {
      const source = sources.get(`${group}/${f.path.slice(0, depth).join('/')}`);
      if (!source) continue;
      const rest = pathName(f.path.slice(depth));
      const got = rest || f.meta?.secret ? show(f.value) : JSON.stringify(source.raw);
      const expected = (!rest && f.meta?.cliExpected) || f.meta?.expected || 'valid';
      return `${source.name}${rest ? ` ${rest}` : ''} must be ${expected}, got ${got}`;
    }
    return `option "${pathName(f.path)}" must be ${f.meta?.expected ?? 'valid'}, got ${show(f.value)}`;
  };
  return {
    help: values.help === true,
    command: resolveGroup(GROUPS.command, given.command, explain('command')),
    limits: resolveGroup(GROUPS.limits, given.limits, explain('limits')),
    serving: resolveGroup(GROUPS.serving, given.serving, explain('serving')),
    security: resolveGroup(GROUPS.security, given.security, explain('security')),
    http: resolveGroup(GROUPS.http, given.http, explain('http')),
  };
}

export function helpText(): string {
  const lines = ['Usage: tiny-chat [options]', '', 'Options (flag, environment variable, default):'];
  for (const o of CLI_OPTIONS) {
    const one = choices(o);
    lines.push(
      `  --${o.flag} <${kindName(o)}> [${o.env}] (default: ${formatDefault(o)})`,
      `      ${o.description}${one ? ` One of: ${one.join(', ')}.` : ''}`,
    );
  }
  lines.push('  --help', '      Print this help and exit.');
  lines.push(
    '',
    'tiny-chat verify <transcript> [--key <server public key>]',
    '      Check a transcript offline (see `tiny-chat verify --help`).',
  );
  return lines.join('\n');
}
