/**
 * Parts of the widget that most people never use, loaded on first use so
 * that every page does not pay for them. This is the module bundlers and the
 * tests see: a dynamic `import()` of the chunk's entry. The script-tag build
 * has no dynamic import (an IIFE cannot be code-split), so rollup.config.mjs
 * swaps this module for lazy.script.ts there; both keep this signature.
 *
 * It must never import a chunk statically: that would put it back in the
 * main bundle.
 */
// A type-only import: erased from the output, so the chunk stays out of the main bundle.
import type * as CreateChunk from './create/index.js';
import type * as ExportChunk from './export/index.js';
import type * as PowChunk from './pow/index.js';
import type * as ModerationChunk from './moderation/index.js';

export interface Chunks {
  /** "Create a room": the POST, with its token and proof-of-work retries. */
  readonly create: typeof CreateChunk;
  /** "Export transcript": the JSON file and its readable HTML rendering. */
  readonly export: typeof ExportChunk;
  /** The proof-of-work solver, for servers that ask for work. */
  readonly pow: typeof PowChunk;
  /** Actions and tombstones in the timeline, the owner's and moderators' tools, and being removed (moderation/). */
  readonly moderation: typeof ModerationChunk;
}

export type ChunkName = keyof Chunks;

const IMPORTS: { readonly [K in ChunkName]: () => Promise<Chunks[K]> } = {
  create: () => import('./create/index.js'),
  export: () => import('./export/index.js'),
  pow: () => import('./pow/index.js'),
  moderation: () => import('./moderation/index.js'),
};

/** The chunk's exports, once loaded (a rejected promise when it cannot be, e.g. offline). */
export function load<K extends ChunkName>(name: K): Promise<Chunks[K]> {
  return IMPORTS[name]();
}
