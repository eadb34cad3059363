/**
 * The library's options as docs/configuration.md lists them: one row per
 * option of `tinyChat` and `createServer`, read off the schema.
 */
import type { TObject } from '@sinclair/typebox';
import { meta } from './kinds.js';
import { HttpSchema, LimitsSchema, ObjectsSchema, SecuritySchema, ServingSchema } from './schema.js';

export interface LibraryOption {
  readonly name: string;
  /** As JSON, or `—` when there is none. */
  readonly default: string;
  /** What a value must be: the phrase of its error. */
  readonly expected: string;
  readonly description: string;
  /** Only `createServer` takes it. */
  readonly serverOnly: boolean;
}

function rows(schema: TObject, serverOnly: boolean): LibraryOption[] {
  return Object.entries(schema.properties).map(([name, prop]) => {
    const m = meta(prop);
    return {
      name,
      default: m?.default === undefined ? '—' : JSON.stringify(m.default),
      expected: m ? `${m.expected}${m.unit === 'ms' ? ' (milliseconds)' : ''}` : '',
      description: m?.description ?? '',
      serverOnly,
    };
  });
}

export const LIBRARY_OPTIONS: readonly LibraryOption[] = [
  ...[ObjectsSchema, ServingSchema, LimitsSchema, SecuritySchema].flatMap((s) => rows(s, false)),
  ...rows(HttpSchema, true),
];
