/**
 * `tiny-chat verify`, run as a real process on a transcript exported by a
 * real server: exit 0 and "verified" for the file as exported and for its
 * HTML rendering, exit 1 with the finding's seq for a tampered one or for a
 * head not signed by the key given with --key, exit 2 for a file that is no
 * transcript.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as assert from 'uvu/assert';
import { embeddableJson, TRANSCRIPT_SCRIPT_ID } from '../../protocol/transcript-file.js';
import type { MessageEntry, Transcript } from '../../protocol/transcript.js';
import { newServerKeyRecord, signerOf } from '../../server/transcript/server-key.js';
import { connect, roomSuite } from '../helpers/room-suite.js';
import { exportRequest, fetchTranscript } from '../helpers/transcript.js';

const run = promisify(execFile);
const cli = new URL('../../server/cli.ts', import.meta.url).pathname;
const test = roomSuite('tiny-chat verify');

async function verify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', cli, 'verify', ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}

test('exit 0 for an exported transcript and its HTML rendering, 1 for tampering or an untrusted head, 2 for no transcript', async (ctx) => {
  const alice = await connect(ctx);
  await alice.join(ctx.roomId, 'alice');
  for (let i = 1; i <= 3; i++) {
    assert.is((await alice.say(`line ${i} </script>`, { ts: ctx.srv.clock.now() }, 30_000)).type, 'ack');
  }
  const res = await fetchTranscript(
    ctx.srv.url,
    ctx.roomId,
    exportRequest(ctx.roomId, alice.identity, ctx.srv.clock.now()),
  );
  assert.is(res.status, 200);
  const transcript = (await res.json()) as Transcript;
  const dir = mkdtempSync(join(tmpdir(), 'tiny-chat-verify-'));
  try {
    const file = (name: string, text: string): string => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const ok = await verify(file('t.json', JSON.stringify(transcript)), '--key', transcript.head.key.pub);
    assert.is(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /t\.json: verified \(room .*, seqs 1–3\)/);

    const html = `<!doctype html><title>t</title><p>line 1 &lt;/script&gt;</p><script type="application/json" id="${TRANSCRIPT_SCRIPT_ID}">${embeddableJson(transcript)}</script>`;
    assert.is((await verify(file('t.html', html))).code, 0);

    const tampered = structuredClone<Transcript>(transcript);
    const m = (tampered.entries as MessageEntry[])[1]!;
    (m as { text: string }).text = 'line 2 changed';
    const bad = await verify(file('bad.json', JSON.stringify(tampered)));
    assert.is(bad.code, 1);
    assert.match(bad.stderr, /FAIL seq 2: the signature/);
    assert.match(bad.stderr, /NOT verified/);

    const other = signerOf(newServerKeyRecord()).key.pub;
    const untrusted = await verify(join(dir, 't.json'), `--key=${other}`);
    assert.is(untrusted.code, 1);
    assert.match(untrusted.stderr, /not by the server key you trust/);

    assert.is((await verify(file('junk.txt', 'hello'))).code, 2);
    assert.is((await verify()).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
