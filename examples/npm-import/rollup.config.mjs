// Bundles main.js and the widget, lit included, into dist/main.js. The parts
// of the widget few people use (the transcript export) are split off by
// dynamic import() into their own file in dist/, loaded on first use; for one
// single file instead, use `output.file` with `inlineDynamicImports: true`.
import nodeResolve from '@rollup/plugin-node-resolve';

export default {
  input: new URL('./main.js', import.meta.url).pathname,
  plugins: [nodeResolve({ browser: true })],
  output: { dir: new URL('./dist/', import.meta.url).pathname, entryFileNames: 'main.js', format: 'es' },
};
