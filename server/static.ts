/**
 * Serves the widget's script-tag bundle and the demo page. The unversioned
 * /tiny-chat.js may change with any upgrade, so it is cached briefly and
 * revalidated by ETag; /tiny-chat.<version>.js never changes and is cached
 * for a year. The demo page allows only same-origin scripts, which proves the
 * widget needs neither inline script nor eval.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

function asset(path: string, type: string): Asset {
  if (!existsSync(path)) {
    throw new TypeError(`tiny-chat: option "demo" needs ${path}; run \`npm run build\` first`);
  }
  const body = readFileSync(path);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
  return { body, type, etag };
}

function send(request: FastifyRequest, reply: FastifyReply, file: Asset, cacheControl: string): FastifyReply {
  reply.header('content-type', file.type).header('cache-control', cacheControl).header('etag', file.etag);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.send(file.body);
}

/** Registers GET /, /demo.css, /tiny-chat.js and /tiny-chat.<version>.js. */
export async function staticRoutes(app: FastifyInstance): Promise<void> {
  const root = packageRoot();
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const script = asset(join(root, 'dist/bundle/tiny-chat.min.js'), 'text/javascript; charset=utf-8');
  const page = asset(join(root, 'demo/index.html'), 'text/html; charset=utf-8');
  const css = asset(join(root, 'demo/demo.css'), 'text/css; charset=utf-8');
  const short = 'public, max-age=300';

  app.get('/tiny-chat.js', (request, reply) => send(request, reply, script, short));
  app.get(`/tiny-chat.${version}.js`, (request, reply) =>
    send(request, reply, script, 'public, max-age=31536000, immutable'),
  );
  app.get('/demo.css', (request, reply) => send(request, reply, css, short));
  app.get('/', (request, reply) => {
    reply.header('content-security-policy', DEMO_CSP).header('x-content-type-options', 'nosniff');
    return send(request, reply, page, 'no-cache');
  });
}
