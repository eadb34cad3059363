/**
 * server/ has no import loop (type-only imports count: a loop of types is
 * still two modules that cannot be read apart). The one loop left through
 * the option files is listed until the options schema removes it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = new URL('../../', import.meta.url).pathname;
/** auth -> config -> security-config -> auth, only for the Clock type (issue 11 §4, the options step). */
const KNOWN = new Set<string>();

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sources('server')) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const deps = [...text.matchAll(/from\s+'(\.[^']+)'/g)]
      .map((m) => normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts'))
      .filter((d) => d.startsWith('server/'));
    g.set(file, deps);
  }
  return g;
}

/** Every loop once, written from its alphabetically first module. */
function loops(g: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const walk = (path: string[]): void => {
    for (const next of g.get(path.at(-1)!) ?? []) {
      const at = path.indexOf(next);
      if (at >= 0) {
        const loop = path.slice(at);
        const first = loop.indexOf([...loop].sort()[0]!);
        found.add([...loop.slice(first), ...loop.slice(0, first)].join(' -> '));
      } else if (path.length < 30) {
        walk([...path, next]);
      }
    }
  };
  for (const start of g.keys()) walk([start]);
  return [...found].sort();
}

test('no import loop in server/ beyond the known one', () => {
  const g = graph();
  assert.ok(g.size > 20, 'the scan sees server/');
  assert.equal(
    loops(g).filter((l) => !KNOWN.has(l)),
    [],
  );
});

test('the loop finder finds a loop', () => {
  const g = new Map([
    ['server/a.ts', ['server/b.ts']],
    ['server/b.ts', ['server/c.ts']],
    ['server/c.ts', ['server/a.ts']],
  ]);
  assert.equal(loops(g), ['server/a.ts -> server/b.ts -> server/c.ts']);
});

test.run();
