/**
 * `tiny-chat verify <transcript> [--key <server public key>]`: checks a
 * transcript offline (JSON, or the HTML rendering that embeds it) with the
 * same verifier as the /verify page, prints every finding in words with its
 * seq, and exits 0 when it verifies, 1 when it does not, 2 when it cannot
 * read the file or the arguments.
 */
import { readFile } from 'node:fs/promises';
import { parseTranscriptText } from '../protocol/transcript-file.js';
import { verifyTranscript, type Verification } from '../protocol/verify-transcript.js';

export const VERIFY_USAGE = `Usage: tiny-chat verify <transcript.json|transcript.html> [--key <server public key>]

Checks a transcript offline: every signature, every chain link, contiguous seqs, one key per name,
and the server's signature on the head. --key is the server's public key as published at
/.well-known/tiny-chat.json; the head must then be signed by it.`;

function report(file: string, v: Verification): string {
  const lines = v.findings.map(
    (f) => `${f.level === 'fail' ? 'FAIL' : 'note'}${f.seq === undefined ? '' : ` seq ${f.seq}`}: ${f.text}`,
  );
  const fails = v.findings.filter((f) => f.level === 'fail').length;
  const range = v.roomId === undefined ? '' : ` (room ${v.roomId}, seqs ${v.firstSeq}–${v.lastSeq})`;
  lines.push(
    v.ok ? `${file}: verified${range}` : `${file}: NOT verified${range}: ${fails} problem${fails === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

/** Runs the subcommand on its arguments (after `verify`); resolves to the exit code. */
export async function runVerify(
  args: readonly string[],
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const files: string[] = [];
  let trustedKey: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--key' && args[i + 1] !== undefined) trustedKey = args[++i];
    else if (arg.startsWith('--key=')) trustedKey = arg.slice('--key='.length);
    else if (arg === '--help' || arg === '-h') {
      out.write(`${VERIFY_USAGE}\n`);
      return 0;
    } else if (arg.startsWith('-')) {
      err.write(`tiny-chat verify: unknown option ${arg}\n\n${VERIFY_USAGE}\n`);
      return 2;
    } else files.push(arg);
  }
  if (files.length !== 1) {
    err.write(`tiny-chat verify: name one transcript file\n\n${VERIFY_USAGE}\n`);
    return 2;
  }
  const file = files[0]!;
  let parsed: unknown;
  try {
    parsed = parseTranscriptText(await readFile(file, 'utf8'));
  } catch (e) {
    err.write(`tiny-chat verify: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const v = await verifyTranscript(parsed, trustedKey === undefined ? {} : { trustedKey });
  (v.ok ? out : err).write(report(file, v));
  return v.ok ? 0 : 1;
}
