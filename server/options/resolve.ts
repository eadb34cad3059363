/**
 * Options in, resolved options out: defaults filled from the schema, every
 * value checked by TypeBox against it, and a bad one refused with a TypeError
 * in one shape, `tiny-chat: option "<name>" must be <kind>, got <value>`.
 * The few rules between two options (a page within the cap) follow, in the
 * same shape. The command line resolves its values through the same
 * `resolveGroup`, naming the flag instead.
 *
 * Must never: replace a bad value by its default, or accept an option it
 * does not know (a typo would silently fall back to the default).
 */
import { randomBytes } from 'node:crypto';
import { KindGuard, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType } from '@sinclair/typebox/errors';
import { LocalEventBus } from '../../adapters/local-bus.js';
import type { EventBus } from '../../adapters/types.js';
import { systemClock, type Clock } from '../clock.js';
import { meta, type Meta } from './kinds.js';
import {
  HttpSchema,
  LimitsSchema,
  ObjectsSchema,
  SecuritySchema,
  ServingSchema,
  type Http,
  type Limits,
  type Objects,
  type Security,
  type TinyChatOptions,
} from './schema.js';

export interface ResolvedOptions {
  readonly storage: Objects['storage'];
  readonly bus: EventBus;
  /** Shared rate-limit buckets; undefined keeps them in this server's memory. */
  readonly rates: Objects['rates'];
  /** The caller's verifier; undefined when the server makes its own pool. */
  readonly verifier: Objects['verifier'];
  readonly clock: Clock;
  readonly instanceId: string;
  readonly corsOrigin: boolean | string | string[];
  readonly demo: boolean;
  readonly metrics: boolean;
  readonly limits: Readonly<Limits>;
  readonly security: Readonly<Security>;
}

/** What a failed check is about, for the caller to phrase. */
export interface Failure {
  /** Path from the group to the value the phrase describes. */
  readonly path: readonly string[];
  readonly value: unknown;
  /** The kind's metadata; undefined for a key the schema does not know. */
  readonly meta: Meta | undefined;
}

const CHECKS = new WeakMap<TObject, TypeCheck<TObject>>();

function compiled<T extends TObject>(schema: T): TypeCheck<T> {
  let check = CHECKS.get(schema);
  if (!check) CHECKS.set(schema, (check = TypeCompiler.Compile(schema)));
  // The map holds each schema's own check; TypeCheck<T> is what Compile returned for it.
  return check as TypeCheck<T>;
}

/**
 * The group's options from `given`, defaults filled in, checked. `explain`
 * words the first failure; it is thrown as a TypeError.
 */
export function resolveGroup<T extends TObject>(
  schema: T,
  given: object,
  explain: (failure: Failure) => string,
): Static<T> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema.properties)) {
    const value: unknown = Reflect.get(given, key);
    out[key] = value === undefined ? structuredClone(meta(prop)?.default) : value;
  }
  const check = compiled(schema);
  if (check.Check(out)) return out;
  throw new TypeError(explain(failure(schema, check, out)));
}

function failure(schema: TObject, check: TypeCheck<TObject>, value: Record<string, unknown>): Failure {
  const error = check.Errors(value).First()!;
  const path = error.path.split('/').slice(1);
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return { path, value: error.value, meta: undefined };
  // The phrase belongs to the deepest schema on the path that has one (an array's item has none).
  let node: TSchema | undefined = schema;
  let found: { depth: number; meta: Meta } | undefined;
  for (let depth = 0; node && depth <= path.length; depth++) {
    const m = meta(node);
    if (m && depth > 0) found = { depth, meta: m };
    const key = path[depth];
    if (key === undefined) break;
    node = child(node, key);
  }
  const own = meta(error.schema);
  if (own && path.length > 0) found = { depth: path.length, meta: own };
  const depth = found?.depth ?? path.length;
  const at = valueAt(value, path.slice(0, depth));
  return { path: path.slice(0, depth), value: found?.meta.secret ? new Hidden(at) : at, meta: found?.meta };
}

function child(node: TSchema, key: string): TSchema | undefined {
  if (KindGuard.IsObject(node)) return node.properties[key];
  if (KindGuard.IsArray(node)) return node.items;
  return undefined;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) at = typeof at === 'object' && at !== null ? Reflect.get(at, key) : undefined;
  return at;
}

/** `oidc[0].issuer` for the path oidc/0/issuer. */
export function pathName(path: readonly string[]): string {
  return path.map((k, i) => (/^\d+$/.test(k) ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** A secret's value as a failure carries it: only its length can be shown. */
class Hidden {
  readonly length: number | undefined;
  constructor(value: unknown) {
    this.length = typeof value === 'string' ? value.length : undefined;
  }
}

/** A value as an error message shows it. */
export function show(value: unknown): string {
  if (value instanceof Hidden)
    return value.length === undefined ? 'a value that is not a string' : `${value.length} characters`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object' || value === null) return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

/** The library's phrasing of a failure. */
export function optionMessage({ path, value, meta: m }: Failure): string {
  const name = pathName(path);
  if (!m) return `tiny-chat: unknown option "${name}"`;
  return `tiny-chat: option "${name}" must be ${m.expected}, got ${show(value)}`;
}

/** Keys Fastify's `register` itself reads from a plugin's options. */
const REGISTER_KEYS = ['prefix', 'logLevel', 'logSerializers'];
const PLUGIN_GROUPS = [ObjectsSchema, ServingSchema, LimitsSchema, SecuritySchema];

/** Throws for a key no group (nor `allowed`) knows. */
export function refuseUnknown(options: object, groups: readonly TObject[], allowed: readonly string[] = []): void {
  for (const key of Object.keys(options)) {
    if (allowed.includes(key) || groups.some((g) => Object.hasOwn(g.properties, key))) continue;
    throw new TypeError(optionMessage({ path: [key], value: undefined, meta: undefined }));
  }
}

/** "must not exceed": the one kind of rule between two options. */
function notAbove<T extends object>(group: T, low: keyof T & string, high: keyof T & string): void {
  if (Number(group[low]) > Number(group[high])) {
    throw new TypeError(`tiny-chat: option "${low}" must not exceed "${high}"`);
  }
}

/** Checks the plugin's options once, at register time. */
export function resolveOptions(options: TinyChatOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('tiny-chat: options must be an object');
  refuseUnknown(options, PLUGIN_GROUPS, REGISTER_KEYS);
  const objects = resolveGroup(ObjectsSchema, options, optionMessage);
  const serving = resolveGroup(ServingSchema, options, optionMessage);
  const limits = resolveGroup(LimitsSchema, options, optionMessage);
  const security = resolveGroup(SecuritySchema, options, optionMessage);
  notAbove(limits, 'historyPage', 'historyCap');
  // A bus of one process on a storage many share would silently cut the instances apart.
  if (objects.bus === undefined && objects.storage.shared) {
    throw new TypeError('tiny-chat: option "bus" is required with a storage shared between instances');
  }
  const issuers = security.oidc.map((o) => o.issuer);
  const twice = issuers.findIndex((issuer, i) => issuers.indexOf(issuer) !== i);
  if (twice >= 0) throw new TypeError(`tiny-chat: option "oidc[${twice}].issuer" is listed twice`);
  return {
    storage: objects.storage,
    bus: objects.bus ?? new LocalEventBus(),
    rates: objects.rates,
    verifier: objects.verifier,
    clock: objects.clock ?? systemClock,
    instanceId: serving.instanceId ?? randomBytes(6).toString('base64url'),
    corsOrigin: serving.corsOrigin,
    demo: serving.demo,
    metrics: serving.metrics,
    limits,
    security,
  };
}

/** Checks `createServer`'s own options (the HTTP server's). */
export function resolveHttp(options: Partial<Http>): Http {
  const http = resolveGroup(HttpSchema, options, optionMessage);
  // Node requires it: headers arrive within the request deadline.
  notAbove(http, 'headersTimeoutMs', 'requestTimeoutMs');
  return http;
}

/** The defaults, as the schema states them (exported for the API and for tests). */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze(resolveGroup(LimitsSchema, {}, optionMessage));
export const DEFAULT_SECURITY: Readonly<Security> = Object.freeze(resolveGroup(SecuritySchema, {}, optionMessage));
export const DEFAULT_HTTP: Readonly<Http> = Object.freeze(resolveGroup(HttpSchema, {}, optionMessage));
