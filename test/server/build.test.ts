/**
 * server/wire/build.ts is the one builder of server frames and error bodies:
 * its own cases, and a scan that fails when any other server source builds a
 * frame or an error body by hand (an object literal with a frame `type`, a
 * `statusCode`, or a JSON.stringify of an object literal).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChatError, ERRORS } from '../../protocol/errors.js';
import { closing, restError, restErrorOf } from '../../server/wire/build.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BUILDER = 'server/wire/build.ts';
const SERVER_FRAME_TYPES = [
  'hello',
  'welcome',
  'message',
  'ack',
  'history',
  'presence',
  'members',
  'typing',
  'error',
  'closing',
];
const HAND_BUILT = [
  new RegExp(`type:\\s*'(${SERVER_FRAME_TYPES.join('|')})'`),
  /statusCode:/,
  /JSON\.stringify\(\s*\{/,
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

test('no server source but the builder builds a frame or an error body', () => {
  const files = sources(join(ROOT, 'server'));
  assert.ok(files.includes(BUILDER), 'the scan sees the builder');
  const offenders = files
    .filter((f) => f !== BUILDER)
    .flatMap((f) =>
      readFileSync(join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (HAND_BUILT.some((re) => re.test(line)) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
  assert.equal(offenders, []);
});

test('the scan finds a hand-built frame and a hand-built body', () => {
  const built = readFileSync(join(ROOT, BUILDER), 'utf8');
  assert.ok(HAND_BUILT[0]!.test(built), 'frame literals');
  assert.ok(HAND_BUILT[1]!.test(built), 'REST bodies');
  assert.ok(HAND_BUILT[2]!.test("socket.send(JSON.stringify({ type: 'x' }))"));
});

test('closing frames take code, text and close code from the error table', () => {
  const resync = closing('resync-required', 'resync');
  assert.equal(resync.frame, {
    type: 'closing',
    code: 'resync-required',
    reason: 'resync',
    message: ERRORS['resync-required'].message,
  });
  assert.is(resync.closeCode, 4409);
  const shutdown = closing('server-shutdown', 'shutdown');
  assert.is(shutdown.frame.message, ERRORS['server-shutdown'].message);
  assert.is(shutdown.closeCode, 1001);
  assert.is(closing('room-closed', 'idle').closeCode, ERRORS['room-closed'].close);
});

test('REST error bodies carry status, code, message and the code fields', () => {
  assert.equal(restErrorOf('not-found'), {
    statusCode: 404,
    code: 'not-found',
    message: ERRORS['not-found'].message,
  });
  const e = new ChatError('quota-exceeded', undefined, { maxRooms: 3 });
  assert.equal(restError(e), { statusCode: e.spec.status, code: 'quota-exceeded', message: e.message, maxRooms: 3 });
  assert.is(restError(new ChatError('bad-request', 'Too big.'), 413).statusCode, 413);
});

test.run();
