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
// - dist/bundle/tiny-chat-pow.js: the proof-of-work worker (widget/pow/worker.ts), its
//   own file (a worker is a script of its own), started by the pow chunk when the page may; a module worker.
// - dist/bundle/tiny-chat.<chunk>.min.js: the parts few people use (widget/lazy.ts),
//   each its own classic script loaded on first use by the script-tag bundle,
//   taking lit from it (widget/lazy.script.ts); the ESM build splits the same
//   parts off with dynamic import() into widget.<chunk>.js.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

/**
 * Drops the indentation from the widget's lit templates and minifies its
 * `css` ones: terser leaves template text alone, and that text was about a
 * sixth of the gzipped script. Only the literal text changes, never a
 * binding: in `html`/`svg` a line break followed by indentation keeps the line
 * break (so even `white-space: pre` text renders the same but for the
 * indentation, and HTML collapses it anyway); in `css` comments go,
 * white space collapses, and goes entirely next to `{ } ; ,` and after `:`
 * (a space before `:` can be a descendant combinator, so it stays).
 */
function minifyTemplates() {
  const shrink = {
    css: (text) =>
      text
        .replace(/\/\*[^]*?\*\//g, '')
        .replace(/\s+/g, ' ')
        .replace(/ ?([{};,]) ?/g, '$1')
        .replace(/: /g, ':')
        .replace(/;}/g, '}')
        .replace(/([ :,(])0\./g, '$1.'),
    html: (text) => text.replace(/\n\s+/g, '\n'),
  };
  shrink.svg = shrink.html;
  return {
    name: 'minify-templates',
    transform(code, id) {
      if (!id.includes('/dist/widget/')) return null;
      const edits = [];
      const walk = (node) => {
        if (!node || typeof node.type !== 'string') return;
        const how = node.type === 'TaggedTemplateExpression' && shrink[node.tag.name];
        if (how) {
          for (const q of node.quasi.quasis) {
            if (code.slice(q.start, q.end) !== q.value.raw)
              throw new Error(`minify-templates: unexpected offsets in ${id}`);
            edits.push([q.start, q.end, how(q.value.raw)]);
          }
        }
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach(walk);
          else if (value && typeof value === 'object') walk(value);
        }
      };
      walk(this.parse(code));
      if (edits.length === 0) return null;
      let out = code;
      for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
        out = out.slice(0, start) + text + out.slice(end);
      return { code: out, map: null };
    },
  };
}

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

/** The chunks of widget/lazy.ts, by name: each one's entry module. */
const CHUNKS = {
  create: 'dist/widget/create/index.js',
  export: 'dist/widget/export/index.js',
  moderation: 'dist/widget/moderation/index.js',
  pow: 'dist/widget/pow/index.js',
};

/** What the main script shares of lit with its chunks (widget/lazy.script.ts puts these on tinyChatChunks.lit). */
const SHARED_LIT = ['html', 'nothing'];

const isLit = (id) => id === 'lit' || id.startsWith('lit/') || id.startsWith('@lit/') || id.startsWith('lit-');

/** The script-tag build loads chunks with <script src>, so it takes lazy.script.js where the code imports lazy.js. */
function scriptLoader() {
  return {
    name: 'script-loader',
    resolveId(source, importer) {
      if (source === './lazy.js' && importer?.includes('/dist/widget/'))
        return join(dirname(importer), 'lazy.script.js');
      return null;
    },
  };
}

/** A chunk may take from lit only what the main script shares: anything else would be undefined at run time. */
function sharedLitOnly() {
  return {
    name: 'shared-lit-only',
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        for (const [from, names] of Object.entries(chunk.importedBindings)) {
          const extra = from === 'lit' ? names.filter((n) => !SHARED_LIT.includes(n)) : names;
          if (extra.length > 0) this.error(`${chunk.fileName} imports ${extra.join(', ')} from ${from}`);
        }
      }
    },
  };
}

const minified = () => [
  nodeResolve({ browser: true }),
  minifyTemplates(),
  terser({ ecma: 2020, toplevel: true, format: { comments: false }, compress: { passes: 3 } }),
  precompress(),
];

export default [
  {
    input,
    external: isLit,
    // Code the chunks share with the main module stays in widget.js rather than in a third file.
    preserveEntrySignatures: 'allow-extension',
    output: {
      dir: 'dist/bundle',
      entryFileNames: 'widget.js',
      // widget/export/index.js -> widget.export.js
      chunkFileNames: (chunk) => `widget.${basename(dirname(chunk.facadeModuleId ?? 'shared/index.js'))}.js`,
      format: 'es',
      sourcemap: true,
    },
  },
  {
    input,
    plugins: [scriptLoader(), ...minified()],
    output: { file: 'dist/bundle/tiny-chat.min.js', format: 'iife', name: 'TinyChat' },
  },
  {
    input: 'dist/widget/pow/worker.js',
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
  ...Object.entries(CHUNKS).map(([name, entry]) => ({
    input: entry,
    external: isLit,
    plugins: [sharedLitOnly(), ...minified()],
    output: {
      file: `dist/bundle/tiny-chat.${name}.min.js`,
      format: 'iife',
      name: `tinyChatChunks.${name}`,
      globals: { lit: 'tinyChatChunks.lit' },
    },
  })),
];
