// Bundles main.js and the widget, lit included, into dist/main.js.
import nodeResolve from '@rollup/plugin-node-resolve';

export default {
  input: new URL('./main.js', import.meta.url).pathname,
  plugins: [nodeResolve({ browser: true })],
  output: { file: new URL('./dist/main.js', import.meta.url).pathname, format: 'es' },
};
