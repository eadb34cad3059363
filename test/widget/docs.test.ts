/**
 * docs/widget.md stays in step with the widget: every UI string key (the chunks' too), every
 * ::part, every --tiny-chat-* custom property, every public property and every
 * event is documented, and nothing
 * documented is missing from the code. (Runs in Node with uvu; the
 * component tests in this folder are *.spec.ts and run in Chromium.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXPORT_STRINGS } from '../../widget/export/strings.js';
import { MODERATION_STRINGS } from '../../widget/moderation/strings.js';
import { POW_STRINGS } from '../../widget/pow/strings.js';
import { DEFAULT_STRINGS } from '../../widget/strings.js';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const doc = read('docs/widget.md');
const section = (title: string): string => doc.split(`## ${title}`)[1]!.split('\n## ')[0]!;
/** The widget's source files whose names match, as paths for read(). */
const widgetFiles = (name: RegExp, dir = 'widget'): string[] =>
  readdirSync(new URL(`../../${dir}/`, import.meta.url))
    .filter((f) => name.test(f))
    .map((f) => `${dir}/${f}`);
const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

test('every UI string is documented, and only those', () => {
  const documented = [...section('Strings (i18n)').matchAll(/^\| (`.*?`)(?:, `.*?`)* +\|/gm)]
    .flatMap((m) => m[0].match(/`(\w+)`/g)!)
    .map((k) => k.slice(1, -1));
  assert.equal(
    sorted(documented),
    sorted(Object.keys({ ...DEFAULT_STRINGS, ...EXPORT_STRINGS, ...POW_STRINGS, ...MODERATION_STRINGS })),
  );
});

test('every part and custom property is documented, and only those', () => {
  const component = read('widget/tiny-chat.component.ts');
  // The element's templates live in widget/*-templates.ts (and templates.ts) beside it; the pow and moderation
  // chunks render their own.
  const templates = [
    ...widgetFiles(/templates\.ts$/),
    'widget/pow/work.ts',
    ...widgetFiles(/\.ts$/, 'widget/moderation'),
  ]
    .map(read)
    .join('');
  const parts = [...(component + templates).matchAll(/part=(?:"([^"]+)"|\$\{own \? '([^']+)' : '([^']+)'\})/g)]
    .flatMap((m) => [m[1], m[2], m[3]])
    .filter((p): p is string => p !== undefined)
    .flatMap((p) => p.split(' '));
  const documentedParts = section('Theming')
    .split('Parts, for')[1]!
    .split('```')[0]!
    .match(/`([a-z-]+)`/g)!
    .map((p) => p.slice(1, -1))
    .filter((p) => p !== 'tiny-chat');
  assert.equal(sorted(documentedParts), sorted(parts));
  const jsdocParts = [...component.matchAll(/@csspart ([a-z-]+)/g)].map((m) => m[1]!);
  assert.equal(sorted(jsdocParts), sorted(parts.filter((p) => p !== 'own-message' && p !== 'pending')));

  const styles = widgetFiles(/\.styles\.ts$/)
    .map(read)
    .join('');
  const props = styles.match(/--tiny-chat-[a-z-]+/g)!;
  const documentedProps = section('Theming')
    .split('Parts, for')[0]!
    .match(/--tiny-chat-[a-z-]+/g)!;
  assert.equal(sorted(documentedProps), sorted(props));
});

test('every public property and every event is documented, and only those', () => {
  const component = read('widget/tiny-chat.component.ts');
  // The element's reactive properties are declared in a file of their own (static properties = properties).
  const declared = read('widget/tiny-chat.properties.ts').split('PropertyDeclarations = {')[1]!.split('};')[0]!;
  const props = [...declared.matchAll(/^ {2}(\w+): \{(?![^}]*state: true)/gm)].map((m) => m[1]!);
  const documentedProps = [...section('Attributes and properties').matchAll(/^\| [^|]+\| `(\w+)` +\|/gm)].map(
    (m) => m[1]!,
  );
  assert.equal(sorted(documentedProps), sorted(props));

  const fired = [...component.matchAll(/@fires (tiny-chat-[a-z-]+)/g)].map((m) => m[1]!);
  const events = read('widget/events.ts')
    .match(/'tiny-chat-[a-z-]+'/g)!
    .map((e) => e.slice(1, -1));
  const documentedEvents = [...section('Events').matchAll(/^\| `(tiny-chat-[a-z-]+)` +\|/gm)].map((m) => m[1]!);
  assert.equal(sorted(documentedEvents), sorted(events));
  assert.equal(sorted(fired), sorted(events));
});

test.run();
