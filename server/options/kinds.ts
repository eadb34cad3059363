/**
 * The building blocks of the options schema (server/options/schema.ts): one
 * constructor per kind of option, each carrying the phrase an error uses
 * ("a positive integer"), its default, its description, and its command-line
 * flag. Validation, the CLI, `--help` and docs/configuration.md all read these,
 * so a kind's rule and its wording exist once.
 *
 * Must never: hold a check written by hand that TypeBox could make from the
 * schema, or let two kinds share one phrase for different rules.
 */
import { Kind, Type, TypeRegistry, type TSchema } from '@sinclair/typebox';

/** How an option appears on the command line and in the environment. */
export interface CliSpec {
  readonly flag: string;
  readonly env: string;
  /** The command's default when it differs from the library's. */
  readonly default?: unknown;
  /** `*` on the command line stands for `true` (any origin). */
  readonly wildcard?: boolean;
}

export interface Doc {
  readonly description: string;
  readonly cli?: CliSpec;
}

export interface Meta extends Doc {
  /** Completes "must be …" in an error. */
  readonly expected: string;
  /** The same for a value typed on the command line, where it differs (durations). */
  readonly cliExpected?: string;
  readonly default?: unknown;
  /** The number is a duration in milliseconds (written `30s`, `5m` on the command line). */
  readonly unit?: 'ms';
  /** A credential: an error never shows its value. */
  readonly secret?: boolean;
}

// Side table rather than schema keywords, so reading a kind's metadata stays typed.
const META = new WeakMap<TSchema, Meta>();

export function meta(schema: TSchema): Meta | undefined {
  return META.get(schema);
}

function annotate<T extends TSchema>(schema: T, m: Meta): T {
  META.set(schema, m);
  return schema;
}

/** JSON-schema keywords for the description and the default, leaving out an absent default. */
function keywords(doc: Doc, def: unknown): { description: string; default?: unknown } {
  return def === undefined ? { description: doc.description } : { description: doc.description, default: def };
}

/** Every whole-number option: a safe integer from `minimum` up. */
function integer(minimum: 0 | 1, def: number | undefined, doc: Doc) {
  return Type.Integer({ minimum, maximum: Number.MAX_SAFE_INTEGER, ...keywords(doc, def) });
}

export function positiveInteger(def: number | undefined, doc: Doc) {
  return annotate(integer(1, def, doc), { ...doc, expected: 'a positive integer', default: def });
}

export function wholeNumber(def: number | undefined, doc: Doc) {
  return annotate(integer(0, def, doc), { ...doc, expected: 'a whole number', default: def });
}

/** Milliseconds in the library, `250ms` / `30s` / `5m` / `12h` on the command line. */
export function duration(def: number, doc: Doc) {
  return annotate(integer(1, def, doc), {
    ...doc,
    expected: 'a positive integer',
    cliExpected: 'a duration like 30s, 5m or 12h',
    default: def,
    unit: 'ms',
  });
}

export function positiveNumber(def: number, doc: Doc) {
  const schema = Type.Number({ exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER, ...keywords(doc, def) });
  return annotate(schema, { ...doc, expected: 'a positive number', default: def });
}

export function flag(def: boolean, doc: Doc) {
  return annotate(Type.Boolean(keywords(doc, def)), { ...doc, expected: 'a boolean', default: def });
}

export function oneOf<const V extends readonly [string, ...string[]]>(choices: V, def: V[number], doc: Doc) {
  // Unsafe only lends the union its static type, the literal union; the schema stays a checked Union.
  const schema = Type.Unsafe<V[number]>(
    Type.Union(
      choices.map((c) => Type.Literal(c)),
      keywords(doc, def),
    ),
  );
  return annotate(schema, { ...doc, expected: `one of ${choices.join(', ')}`, default: def });
}

export function text(def: string | undefined, doc: Doc, rule?: { pattern: string; expected: string }) {
  const schema = Type.String({ minLength: 1, ...(rule && { pattern: rule.pattern }), ...keywords(doc, def) });
  return annotate(schema, { ...doc, expected: rule?.expected ?? 'a non-empty string', default: def });
}

/** A credential, long enough not to be guessed; errors show its length, never its value. */
export function secret(doc: Doc) {
  // What a bearer token may hold (RFC 6750), so that the token can be sent as one.
  const schema = Type.String({ minLength: 32, pattern: '^[A-Za-z0-9._~+/-]+=*$', description: doc.description });
  return annotate(schema, {
    ...doc,
    expected: 'at least 32 characters of A-Z a-z 0-9 . _ ~ + / - (then =)',
    secret: true,
  });
}

/** A whole number from 0 to `maximum`. */
export function upTo(maximum: number, def: number, doc: Doc) {
  const schema = Type.Integer({ minimum: 0, maximum, ...keywords(doc, def) });
  return annotate(schema, { ...doc, expected: `a whole number up to ${maximum}`, default: def });
}

/** Any other schema, with its error phrase. */
export function custom<T extends TSchema>(schema: T, expected: string, doc: Doc, def?: unknown): T {
  return annotate(schema, { ...doc, expected, default: def });
}

/** An optional property that keeps the metadata of the kind it wraps. */
export function optional<T extends TSchema>(schema: T) {
  const wrapped = Type.Optional(schema);
  const m = meta(schema);
  return m ? annotate(wrapped, m) : wrapped;
}

/**
 * A value that is code, not data (a storage adapter, a clock), checked by a
 * predicate: TypeBox looks the kind up in its registry.
 */
export function object<T>(kind: string, test: (value: unknown) => boolean, expected: string, doc: Doc) {
  if (!TypeRegistry.Has(kind)) TypeRegistry.Set(kind, (_schema, value) => test(value));
  return annotate(Type.Unsafe<T>({ [Kind]: kind, description: doc.description }), { ...doc, expected });
}
