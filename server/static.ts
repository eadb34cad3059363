/**
 * Serves the widget's script-tag bundle and the demo page. The unversioned
 * /tiny-chat.js may change with any upgrade, so it is cached briefly and
 * revalidated by ETag; /tiny-chat.<version>.js never changes and is cached
 * for a year. The widget's chunks (the parts few people use, which the script
 * loads on first use from beside itself: widget/lazy.script.ts) are served the
 * same way, as /tiny-chat.<chunk>.js and /tiny-chat.<chunk>.<version>.js, for
 * every tiny-chat.<chunk>.min.js the build made; and the proof-of-work worker
 * as /tiny-chat-pow.js, which pages on this origin start (a worker must be
 * same-origin with its page; elsewhere the widget solves on the page). The script goes out brotli- or gzip-compressed when the request
 * accepts it, from the copies the build wrote beside it (rollup.config.mjs):
 * each encoding is its own representation, with its own ETag, and every
 * answer says `Vary: Accept-Encoding` so caches keep them apart. The demo
 * page allows only same-origin scripts, which proves the widget needs neither
 * inline script nor eval.
 *
 * Must never: compress per request, or answer a 304 for an ETag of another
 * encoding than the one the request would get.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** The package root: the nearest folder up from this file holding package.json (works from dist/ and from source). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tiny-chat: package.json not found');
    dir = parent;
  }
  return dir;
}

/** The encodings served when the build made them, in the order preferred on a tie. */
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;
type Encoding = (typeof ENCODINGS)[number]['name'] | 'identity';

interface Representation {
  readonly encoding: Encoding;
  readonly body: Buffer;
  readonly etag: string;
}

interface Asset {
  readonly type: string;
  /** Identity first, then the precompressed ones. */
  readonly representations: readonly Representation[];
}

function read(path: string, encoding: Encoding): Representation {
  if (!existsSync(path)) {
    throw new TypeError(`tiny-chat: option "demo" needs ${path}; run \`npm run build\` first`);
  }
  const body = readFileSync(path);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { encoding, body, etag };
}

function asset(path: string, type: string, precompressed = false): Asset {
  const identity = read(path, 'identity');
  if (!precompressed) return { type, representations: [identity] };
  return { type, representations: [identity, ...ENCODINGS.map((e) => read(path + e.suffix, e.name))] };
}

/** The q-value of each coding an Accept-Encoding header names (RFC 9110 §12.5.3). */
function acceptedCodings(header: string | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (!name) continue;
    const q = params.find((p) => p.startsWith('q='));
    const value = q === undefined ? 1 : Number(q.slice(2));
    out.set(name, Number.isFinite(value) ? value : 0);
  }
  return out;
}

/**
 * The representation the request accepts best: the encoding with the highest
 * q, brotli before gzip on a tie, unless the request ranks identity above it;
 * identity when no encoding is acceptable.
 */
function negotiate(asset: Asset, header: string | undefined): Representation {
  const accepted = acceptedCodings(header);
  const q = (name: string): number => accepted.get(name) ?? accepted.get('*') ?? 0;
  const [identity, ...encoded] = asset.representations;
  let best: Representation | undefined;
  for (const r of encoded) if (q(r.encoding) > 0 && (!best || q(r.encoding) > q(best.encoding))) best = r;
  if (!best || (accepted.get('identity') ?? 0) > q(best.encoding)) return identity!;
  return best;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

function send(request: FastifyRequest, reply: FastifyReply, file: Asset, cacheControl: string): FastifyReply {
  const chosen = negotiate(file, request.headers['accept-encoding']);
  reply.header('content-type', file.type).header('cache-control', cacheControl).header('etag', chosen.etag);
  if (file.representations.length > 1) reply.header('vary', 'Accept-Encoding');
  if (matches(request.headers['if-none-match'], chosen.etag)) return reply.code(304).send();
  if (chosen.encoding !== 'identity') reply.header('content-encoding', chosen.encoding);
  return reply.send(chosen.body);
}

/** The chunk names the build made: tiny-chat.<name>.min.js in dist/bundle (rollup.config.mjs). */
function chunkNames(bundle: string): string[] {
  if (!existsSync(bundle)) return [];
  return readdirSync(bundle).flatMap((f) => /^tiny-chat\.([a-z]+)\.min\.js$/.exec(f)?.slice(1) ?? []);
}

/** Registers GET /, /demo.css, /tiny-chat.js and /tiny-chat.<version>.js, each chunk's two URLs and the pow worker. */
export async function staticRoutes(app: FastifyInstance): Promise<void> {
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const script = asset(join(root, 'dist/bundle/tiny-chat.min.js'), 'text/javascript; charset=utf-8', true);
  const page = asset(join(root, 'demo/index.html'), 'text/html; charset=utf-8');
  const css = asset(join(root, 'demo/demo.css'), 'text/css; charset=utf-8');
  const short = 'public, max-age=300';

  app.get('/tiny-chat.js', (request, reply) => send(request, reply, script, short));
  app.get(`/tiny-chat.${version}.js`, (request, reply) =>
    send(request, reply, script, 'public, max-age=31536000, immutable'),
  );
  for (const name of chunkNames(join(root, 'dist/bundle'))) {
    const chunk = asset(join(root, `dist/bundle/tiny-chat.${name}.min.js`), 'text/javascript; charset=utf-8', true);
    app.get(`/tiny-chat.${name}.js`, (request, reply) => send(request, reply, chunk, short));
    app.get(`/tiny-chat.${name}.${version}.js`, (request, reply) =>
      send(request, reply, chunk, 'public, max-age=31536000, immutable'),
    );
  }
  const worker = join(root, 'dist/bundle/tiny-chat-pow.js');
  if (existsSync(worker)) {
    const pow = asset(worker, 'text/javascript; charset=utf-8');
    app.get('/tiny-chat-pow.js', (request, reply) => send(request, reply, pow, short));
  }
  app.get('/demo.css', (request, reply) => send(request, reply, css, short));
  app.get('/', (request, reply) => {
    reply.header('content-security-policy', DEMO_CSP).header('x-content-type-options', 'nosniff');
    return send(request, reply, page, 'no-cache');
  });
}

/**
 * Registers GET /verify, the offline transcript verifier, when the build made
 * it (dist/bundle/verify.html, and its policy in verify.csp); false when it
 * did not (a server run from source without `npm run build`).
 */
export function verifyPageRoute(app: FastifyInstance, path: string): boolean {
  const root = packageRoot();
  const file = join(root, 'dist/bundle/verify.html');
  if (!existsSync(file)) return false;
  const page = asset(file, 'text/html; charset=utf-8');
  // The page's own policy (script and style by hash, no network), and no framing, which a meta tag cannot say.
  const csp = `${readFileSync(join(root, 'dist/bundle/verify.csp'), 'utf8').trim()}; frame-ancestors 'none'`;
  app.get(path, (request, reply) => {
    reply.header('content-security-policy', csp).header('x-content-type-options', 'nosniff');
    return send(request, reply, page, 'no-cache');
  });
  return true;
}
