/** Keeps protocol/errors.ts and docs/errors.md in step (after fastify's test/internals/errors.test.js). */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChatError, ERRORS, isErrorCode, type ErrorSpec } from '../../protocol/errors.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

interface DocRow {
  category: string;
  temporary: string;
  status: string;
  close: string;
}

function docRows(): Map<string, DocRow> {
  const rows = new Map<string, DocRow>();
  const section = doc.slice(0, doc.indexOf('## Close codes'));
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const code = /^`([a-z-]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!code) continue;
    assert.not.ok(rows.has(code), `${code} is listed twice`);
    rows.set(code, { category: cells[2]!, temporary: cells[3]!, status: cells[4]!, close: cells[5]! });
  }
  return rows;
}

test('every code in the table is documented, with the same properties', () => {
  const rows = docRows();
  for (const [code, spec] of Object.entries(ERRORS) as [string, ErrorSpec][]) {
    const row = rows.get(code);
    assert.ok(row, `docs/errors.md does not list ${code}`);
    assert.is(row.category, spec.category, `${code} category`);
    assert.is(row.temporary, spec.temporary ? 'yes' : 'no', `${code} temporary`);
    assert.is(row.status, String(spec.status), `${code} HTTP status`);
    assert.is(row.close, spec.close === undefined ? '—' : String(spec.close), `${code} close code`);
  }
});

test('the doc lists no code that does not exist', () => {
  for (const code of docRows().keys()) assert.ok(isErrorCode(code), `docs/errors.md lists unknown code ${code}`);
});

test('every close code is in the close-code table', () => {
  const closeRows = doc
    .slice(doc.indexOf('## Close codes'))
    .split('\n')
    .map((l) => l.split('|').map((c) => c.trim()))
    .filter((cells) => /^\d+$/.test(cells[1] ?? ''))
    .map((cells) => `${cells[1]} ${cells[2]}`);
  for (const [code, spec] of Object.entries(ERRORS) as [string, ErrorSpec][]) {
    if (spec.close === undefined) continue;
    assert.ok(closeRows.includes(`${spec.close} \`${code}\``), `close ${spec.close} ${code} missing`);
  }
});

test('close codes are unique and in the allowed ranges', () => {
  const seen = new Set<number>();
  for (const spec of Object.values(ERRORS) as ErrorSpec[]) {
    if (spec.close === undefined) continue;
    assert.not.ok(seen.has(spec.close), `close ${spec.close} used twice`);
    seen.add(spec.close);
    assert.ok([1001, 1009, 1011].includes(spec.close) || (spec.close >= 4000 && spec.close <= 4999));
  }
});

test('ChatError carries the code, its spec and details', () => {
  const e = new ChatError('text-too-long', undefined, { length: 1001 });
  assert.is(e.code, 'text-too-long');
  assert.is(e.message, ERRORS['text-too-long'].message);
  assert.equal(e.details, { length: 1001 });
  assert.is(new ChatError('internal', 'custom').message, 'custom');
});

test.run();
