// Widget bundles, built from tsc's output in dist/ (so rollup needs no
// TypeScript plugin and the .d.ts files come from the same compile):
// - dist/bundle/widget.js: ESM for `import 'tiny-chat/widget'`, lit left to the
//   user's bundler (it is a dependency);
// - dist/bundle/verify.html: the /verify page, one self-contained file (its script and style
//   inline, allowed by CSP hashes in a meta tag, so a saved copy runs offline under the same
//   policy), with dist/bundle/verify.csp holding that policy for the server's header;
// - dist/bundle/tiny-chat.min.js: one minified classic script for a
//   <script src> tag, lit bundled, no eval (CSP `script-src 'self'`), with
//   .br and .gz copies at maximum quality beside it, which server/static.ts
//   serves to clients that accept them (compressing once here, not per request);
// - dist/bundle/tiny-chat-pow.js: the proof-of-work worker (widget/pow.ts), its
//   own file so the script-tag bundle does not carry it; a module worker.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

function precompress() {
  return {
    name: 'precompress',
    writeBundle({ file }) {
      const body = readFileSync(file);
      const br = brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      });
      writeFileSync(`${file}.br`, br);
      writeFileSync(`${file}.gz`, gzipSync(body, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 }));
    },
  };
}

/** Inlines the verify page's script and style into verify-page/page.html, each allowed by its hash. */
function inlinePage() {
  const hash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  return {
    name: 'inline-page',
    writeBundle({ file }) {
      // `</script` cannot occur in code outside a string or regex, where `<\/` means the same.
      const script = readFileSync(file, 'utf8').replaceAll('</script', '<\\/script').trim();
      const style = readFileSync('verify-page/style.css', 'utf8').trim();
      const csp = `default-src 'none'; script-src ${hash(script)}; style-src ${hash(style)}; base-uri 'none'; form-action 'none'`;
      // The hash covers exactly what sits between the tags, so no whitespace is left around the placeholders.
      const html = readFileSync('verify-page/page.html', 'utf8')
        .replace('%CSP%', csp)
        .replace(/<style>\s*%STYLE%\s*<\/style>/, () => `<style>${style}</style>`)
        .replace(/<script>\s*%SCRIPT%\s*<\/script>/, () => `<script>${script}</script>`);
      writeFileSync('dist/bundle/verify.html', html);
      writeFileSync('dist/bundle/verify.csp', csp);
    },
  };
}

const input = 'dist/widget/index.js';

export default [
  {
    input,
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/') || id.startsWith('lit-'),
    output: { file: 'dist/bundle/widget.js', format: 'es', sourcemap: true },
  },
  {
    input,
    plugins: [
      nodeResolve({ browser: true }),
      terser({ ecma: 2020, toplevel: true, format: { comments: false }, compress: { passes: 3 } }),
      precompress(),
    ],
    output: { file: 'dist/bundle/tiny-chat.min.js', format: 'iife', name: 'TinyChat' },
  },
  {
    input: 'dist/widget/pow-worker.js',
    plugins: [terser({ ecma: 2020, toplevel: true, format: { comments: false } })],
    output: { file: 'dist/bundle/tiny-chat-pow.js', format: 'es' },
  },
  {
    input: 'dist/verify-page/main.js',
    plugins: [
      nodeResolve({ browser: true }),
      terser({ ecma: 2020, toplevel: true, format: { comments: false }, compress: { passes: 2 } }),
      inlinePage(),
    ],
    output: { file: 'dist/bundle/verify.js', format: 'iife' },
  },
];
