// Widget bundles, built from tsc's output in dist/ (so rollup needs no
// TypeScript plugin and the .d.ts files come from the same compile):
// - dist/bundle/widget.js: ESM for `import 'tiny-chat/widget'`, lit left to the
//   user's bundler (it is a dependency);
// - dist/bundle/tiny-chat.min.js: one minified classic script for a
//   <script src> tag, lit bundled, no eval (CSP `script-src 'self'`).
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

const input = 'dist/widget/index.js';

export default [
  {
    input,
    external: (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/') || id.startsWith('lit-'),
    output: { file: 'dist/bundle/widget.js', format: 'es', sourcemap: true },
  },
  {
    input,
    plugins: [nodeResolve({ browser: true }), terser({ format: { comments: false }, compress: { passes: 2 } })],
    output: { file: 'dist/bundle/tiny-chat.min.js', format: 'iife', name: 'TinyChat' },
  },
];
