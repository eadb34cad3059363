// Widget bundles, built from tsc's output in dist/ (so rollup needs no
// TypeScript plugin and the .d.ts files come from the same compile):
// - dist/bundle/widget.js: ESM for `import 'tiny-chat/widget'`, lit left to the
//   user's bundler (it is a dependency);
// - dist/bundle/tiny-chat.min.js: one minified classic script for a
//   <script src> tag, lit bundled, no eval (CSP `script-src 'self'`), with
//   .br and .gz copies at maximum quality beside it, which server/static.ts
//   serves to clients that accept them (compressing once here, not per request);
// - dist/bundle/tiny-chat-pow.js: the proof-of-work worker (widget/pow.ts), its
//   own file so the script-tag bundle does not carry it; a module worker.
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
];
