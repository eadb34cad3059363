/**
 * The /verify page's script: reads a transcript the user picks or drops
 * (JSON, or the HTML rendering), checks it with the one verifier
 * (protocol/verify-transcript.ts) and lists the findings. Runs offline from
 * a saved copy: it fetches nothing, and the build inlines it into one HTML
 * file allowed by a CSP hash (rollup.config.mjs).
 *
 * Must never: put file content into the page as HTML (textContent only).
 */
import { parseTranscriptText } from '../protocol/transcript-file.js';
import { verifyTranscript, type Verification } from '../protocol/verify-transcript.js';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const fileInput = byId<HTMLInputElement>('file');
const keyInput = byId<HTMLInputElement>('key');
const drop = byId<HTMLDivElement>('drop');
const status = byId<HTMLParagraphElement>('status');
const list = byId<HTMLUListElement>('findings');
let last: { name: string; text: string } | undefined;

function show(name: string, v: Verification | Error): void {
  list.replaceChildren();
  if (v instanceof Error) {
    status.className = 'fail';
    status.textContent = `${name}: not a transcript (${v.message}).`;
    return;
  }
  const fails = v.findings.filter((f) => f.level === 'fail').length;
  const range = v.roomId === undefined ? '' : ` Room ${v.roomId}, messages ${v.firstSeq} to ${v.lastSeq}.`;
  status.className = v.ok ? 'ok' : 'fail';
  status.textContent = v.ok
    ? `${name}: verified.${range}`
    : `${name}: NOT verified, ${fails} problem${fails === 1 ? '' : 's'}.${range}`;
  for (const f of v.findings) {
    const item = document.createElement('li');
    item.className = f.level === 'fail' ? 'fail' : '';
    item.textContent = `${f.level === 'fail' ? 'Problem' : 'Note'}${f.seq === undefined ? '' : ` at message ${f.seq}`}: ${f.text}`;
    list.append(item);
  }
}

async function check(): Promise<void> {
  if (!last) return;
  const { name, text } = last;
  status.className = '';
  status.textContent = `Checking ${name}…`;
  let parsed: unknown;
  try {
    parsed = parseTranscriptText(text);
  } catch (err) {
    show(name, err instanceof Error ? err : new Error(String(err)));
    return;
  }
  const trustedKey = keyInput.value.trim();
  show(name, await verifyTranscript(parsed, trustedKey ? { trustedKey } : {}));
}

async function load(file: File | undefined): Promise<void> {
  if (!file) return;
  last = { name: file.name, text: await file.text() };
  await check();
}

fileInput.addEventListener('change', () => void load(fileInput.files?.[0]));
keyInput.addEventListener('change', () => void check());
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  void load(e.dataTransfer?.files[0]);
});
byId<HTMLFormElement>('form').addEventListener('submit', (e) => e.preventDefault());
