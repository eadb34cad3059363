import { readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveOptions } from '../../server/options/resolve.js';
import { createMemoryStorage } from '../../adapters/memory.js';
import { startServer } from '../helpers/server.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

test('the script bundle: short cache and ETag unversioned, a year and immutable versioned', async () => {
  const srv = await startServer({ demo: true });
  try {
    const res = await fetch(`${srv.url}/tiny-chat.js`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.is(res.headers.get('cache-control'), 'public, max-age=300');
    const etag = res.headers.get('etag');
    assert.ok(etag);
    const body = await res.text();
    assert.match(body, /customElements/);
    const again = await fetch(`${srv.url}/tiny-chat.js`, { headers: { 'if-none-match': etag } });
    assert.is(again.status, 304);
    const versioned = await fetch(`${srv.url}/tiny-chat.${pkg.version}.js`);
    assert.is(versioned.status, 200);
    assert.is(versioned.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.is(await versioned.text(), body);
    assert.is((await fetch(`${srv.url}/tiny-chat.0.0.0-nope.js`)).status, 404);
  } finally {
    await srv.stop();
  }
});

const bundle = (suffix = ''): Buffer =>
  readFileSync(new URL(`../../dist/bundle/tiny-chat.min.js${suffix}`, import.meta.url));

interface Raw {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as it crossed the socket (node:http never decodes it). */
  readonly body: Buffer;
}

/** One GET over a fresh TCP connection, with exactly the given headers. */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('the script goes out precompressed as the request accepts: brotli, gzip, or as is', async () => {
  const srv = await startServer({ demo: true });
  try {
    const file = bundle();
    const plain = await rawGet(srv.url, '/tiny-chat.js');
    assert.is(plain.status, 200);
    assert.is(plain.headers['content-encoding'], undefined);
    assert.is(plain.headers['vary'], 'Accept-Encoding');
    assert.ok(plain.body.equals(file), 'no Accept-Encoding: the file itself');

    const gz = await rawGet(srv.url, '/tiny-chat.js', { 'accept-encoding': 'gzip' });
    assert.is(gz.headers['content-encoding'], 'gzip');
    assert.is(gz.headers['vary'], 'Accept-Encoding');
    assert.is(Number(gz.headers['content-length']), gz.body.length);
    assert.ok(gz.body.equals(bundle('.gz')), 'the gzip the build wrote');
    assert.ok(gunzipSync(gz.body).equals(file), 'gzip decompresses to the file');

    const br = await rawGet(srv.url, '/tiny-chat.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.is(br.headers['content-encoding'], 'br');
    assert.ok(br.body.equals(bundle('.br')), 'the brotli the build wrote');
    assert.ok(brotliDecompressSync(br.body).equals(file), 'brotli decompresses to the file');
    assert.ok(br.body.length < gz.body.length && gz.body.length < file.length);
    console.log(`  /tiny-chat.js: ${file.length} B, gzip ${gz.body.length} B, brotli ${br.body.length} B on the wire`);

    const byHeader = async (header: string): Promise<string | undefined> => {
      const res = await rawGet(srv.url, '/tiny-chat.js', { 'accept-encoding': header });
      return res.headers['content-encoding'];
    };
    assert.is(await byHeader('br;q=0, gzip'), 'gzip');
    assert.is(await byHeader('gzip;q=0.9, br;q=0.5'), 'gzip');
    assert.is(await byHeader('*'), 'br');
    assert.is(await byHeader('identity'), undefined);
    assert.is(await byHeader('br;q=0.5, identity'), undefined);
    assert.is(await byHeader('deflate'), undefined);
    assert.is(await byHeader('gzip;q=0, br;q=0'), undefined);

    const versioned = await rawGet(srv.url, `/tiny-chat.${pkg.version}.js`, { 'accept-encoding': 'br' });
    assert.is(versioned.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.is(versioned.headers['content-encoding'], 'br');
    assert.ok(versioned.body.equals(br.body));
  } finally {
    await srv.stop();
  }
});

test('each chunk the build made is served beside the script, precompressed, at both URLs', async () => {
  const srv = await startServer({ demo: true });
  try {
    const file = readFileSync(new URL('../../dist/bundle/tiny-chat.export.min.js', import.meta.url));
    const plain = await rawGet(srv.url, '/tiny-chat.export.js');
    assert.is(plain.status, 200);
    assert.is(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.ok(plain.body.equals(file));
    const br = await rawGet(srv.url, `/tiny-chat.export.${pkg.version}.js`, { 'accept-encoding': 'br' });
    assert.is(br.headers['content-encoding'], 'br');
    assert.is(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.ok(brotliDecompressSync(br.body).equals(file));
    assert.is((await rawGet(srv.url, '/tiny-chat.nothing.js')).status, 404);
  } finally {
    await srv.stop();
  }
});

test('the proof-of-work worker is served beside the script, for pages of this origin (widget/pow/solve.ts)', async () => {
  const srv = await startServer({ demo: true });
  try {
    const file = readFileSync(new URL('../../dist/bundle/tiny-chat-pow.js', import.meta.url));
    const res = await rawGet(srv.url, '/tiny-chat-pow.js');
    assert.is(res.status, 200);
    assert.is(res.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.is(res.headers['cache-control'], 'public, max-age=300');
    assert.ok(res.body.equals(file));
  } finally {
    await srv.stop();
  }
});

test('each encoding has its own ETag; a 304 only for the one the request would get', async () => {
  const srv = await startServer({ demo: true });
  try {
    const tags = await Promise.all(
      ['', 'gzip', 'br'].map(async (enc) => {
        const res = await rawGet(srv.url, '/tiny-chat.js', enc ? { 'accept-encoding': enc } : {});
        return String(res.headers['etag']);
      }),
    );
    const [plainTag, gzTag, brTag] = tags;
    assert.is(new Set(tags).size, 3, tags.join(' '));
    const again = await rawGet(srv.url, '/tiny-chat.js', { 'accept-encoding': 'br', 'if-none-match': brTag! });
    assert.is(again.status, 304);
    assert.is(again.body.length, 0);
    assert.is(again.headers['etag'], brTag);
    assert.is(again.headers['vary'], 'Accept-Encoding');
    const listed = await rawGet(srv.url, '/tiny-chat.js', {
      'accept-encoding': 'gzip',
      'if-none-match': `${plainTag!}, W/${gzTag!}`,
    });
    assert.is(listed.status, 304);
    // The gzip tag does not validate what a client without gzip would get.
    const other = await rawGet(srv.url, '/tiny-chat.js', { 'if-none-match': gzTag! });
    assert.is(other.status, 200);
    assert.ok(other.body.equals(bundle()));
  } finally {
    await srv.stop();
  }
});

test('the demo page: external scripts only, under a script-src self CSP', async () => {
  const srv = await startServer({ demo: true });
  try {
    const res = await fetch(`${srv.url}/`);
    assert.is(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self';/);
    const html = await res.text();
    assert.match(html, /<script src="\/tiny-chat.js" defer><\/script>/);
    assert.not.match(html, /<script>|<script [^>]*>[^<]/);
    assert.match(html, /<tiny-chat><\/tiny-chat>/);
    assert.is((await fetch(`${srv.url}/demo.css`)).status, 200);
  } finally {
    await srv.stop();
  }
});

test('demo is off unless asked for, and must be a boolean', async () => {
  const srv = await startServer();
  try {
    assert.is((await fetch(`${srv.url}/tiny-chat.js`)).status, 404);
    assert.is((await fetch(`${srv.url}/`)).status, 404);
  } finally {
    await srv.stop();
  }
  const storage = await createMemoryStorage();
  assert.throws(
    () => resolveOptions({ storage, demo: 'yes' as unknown as boolean }),
    (e: Error) => e instanceof TypeError && e.message === 'tiny-chat: option "demo" must be a boolean, got "yes"',
  );
  await storage.close();
});

test.run();
