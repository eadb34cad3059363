/**
 * lazy.ts for the script-tag build (rollup.config.mjs puts this module in its
 * place): a chunk is its own classic script, tiny-chat.<name>.min.js, built
 * beside the main one. It is loaded with a `<script src>` resolved against
 * the main script's own URL, so it comes from the same server, which any CSP
 * that let the main script in also allows (`script-src` with the chat origin;
 * a nonce with 'strict-dynamic' trusts scripts a trusted script adds); no
 * eval, no inline script, no fetch-and-run.
 *
 * A chunk takes lit from the main bundle rather than carrying a second copy
 * (two lits would not share `nothing` or the template cache): the main
 * bundle puts the few lit exports chunks use on `tinyChatChunks.lit`, and
 * each chunk, an IIFE named `tinyChatChunks.<name>`, puts its exports beside
 * it. rollup.config.mjs checks that a chunk imports nothing else from lit.
 *
 * It must never load a chunk twice, nor from anywhere but beside the main
 * script.
 */
import { html, nothing } from 'lit';
import type { ChunkName, Chunks } from './lazy.js';

interface Registry extends Partial<Chunks> {
  lit: { html: typeof html; nothing: typeof nothing };
}

const root = globalThis as typeof globalThis & { tinyChatChunks?: Registry };
const registry = (root.tinyChatChunks ??= { lit: { html, nothing } });

/**
 * Where the main script came from, read while it runs (document.currentScript
 * is null afterwards): the chunk sits beside it under the same naming, so
 * /tiny-chat.js loads /tiny-chat.export.js, /tiny-chat.0.1.0.js loads
 * /tiny-chat.export.0.1.0.js and tiny-chat.min.js loads
 * tiny-chat.export.min.js; a renamed file loads the build's chunk name.
 */
const mainUrl = (document.currentScript as HTMLScriptElement | null)?.src ?? location.href;

export function chunkUrl(main: string, name: string): string {
  const url = new URL(main);
  const file = url.pathname.slice(url.pathname.lastIndexOf('/') + 1);
  const chunk = file.startsWith('tiny-chat.') ? `tiny-chat.${name}.${file.slice(10)}` : `tiny-chat.${name}.min.js`;
  return new URL(chunk, url).href;
}

const pending = new Map<ChunkName, Promise<unknown>>();

export function load<K extends ChunkName>(name: K): Promise<Chunks[K]> {
  const loading =
    pending.get(name) ??
    new Promise<Chunks[K]>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = chunkUrl(mainUrl, name);
      script.onload = () =>
        registry[name] ? resolve(registry[name] as Chunks[K]) : reject(new Error(`${name} did not load`));
      script.onerror = () => {
        // A failed load (offline) is tried again on the next use.
        pending.delete(name);
        reject(new Error(`${name} did not load`));
      };
      document.head.append(script);
    });
  pending.set(name, loading);
  return loading as Promise<Chunks[K]>;
}
