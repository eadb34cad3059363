/**
 * The readable rendering of a transcript: one self-contained HTML file that
 * shows every message and embeds the transcript's JSON, for a person to read
 * and a verifier to take back out. No script runs in it, none is needed to
 * read it, and its own CSP forbids any: every piece of text is escaped, the
 * JSON sits in a non-executable `application/json` block with `<` escaped so
 * that no text can close it, and the page loads nothing from anywhere.
 *
 * It must never put a transcript's text anywhere but an escaped text node or
 * that JSON block.
 */
import { fill, type Strings } from '../strings.js';
import type { ExportStrings } from './strings.js';
import type { MessageEntry, Transcript } from '../../protocol/transcript.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** JSON that no text inside it can end early: `<` never appears raw, so neither `</script` nor `<!--` can. */
export function embeddableJson(value: unknown): string {
  return JSON.stringify(value, null, 1).replace(/</g, '\\u003c');
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.3rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dd{margin:0;overflow-wrap:anywhere}
ol{list-style:none;padding:0}li{border-top:1px solid #ddd;padding:.5rem 0}
.meta{font-size:.85rem;color:#555}.name{font-weight:600;color:#1d1d1f}
.text,pre{white-space:pre-wrap;overflow-wrap:anywhere}code{font-size:.8rem;overflow-wrap:anywhere}`;

/** One entry: a message as the sender wrote it; any other kind (a moderation action) by its kind, its JSON beside. */
function entryHtml(e: Transcript['entries'][number], strings: Strings & ExportStrings): string {
  const head = `<li id="seq-${e.seq}"><div class="meta">#${e.seq}`;
  if (!isMessage(e)) return `${head} · ${escapeHtml(e.kind)}</div><pre>${escapeHtml(JSON.stringify(e))}</pre></li>`;
  const ts = iso(e.ts);
  return `${head} · <bdi class="name">${escapeHtml(e.name)}</bdi> · <time datetime="${ts}">${ts}</time></div>
<div class="text">${escapeHtml(e.text)}</div>
<div class="meta">${escapeHtml(strings.fingerprint)}: <code>${escapeHtml(e.key.alg)} ${escapeHtml(e.key.pub)}</code></div></li>`;
}

const isMessage = (e: Transcript['entries'][number]): e is MessageEntry => e.kind === 'message';
const iso = (ms: number): string => new Date(ms).toISOString();

export function transcriptHtml(t: Transcript, strings: Strings & ExportStrings): string {
  const title = escapeHtml(fill(strings.transcriptTitle, { room: t.room.roomId }));
  const when = (ms: number): string => `<time datetime="${iso(ms)}">${iso(ms)}</time>`;
  const row = (label: string, value: string): string => `<dt>${escapeHtml(label)}</dt><dd>${value}</dd>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${title}</h1>
<dl>
${row(strings.transcriptCreated, when(t.room.createdAt))}
${row(strings.transcriptExported, when(t.exportedAt))}
${row(strings.messages, `#${t.firstSeq}–#${t.lastSeq}`)}
${row(strings.transcriptServerKey, `<code>${escapeHtml(t.head.key.pub)}</code>`)}
</dl>
<p>${escapeHtml(strings.transcriptVerify)}</p>
<ol>
${t.entries.map((e) => entryHtml(e, strings)).join('\n')}
</ol>
<script type="application/json" id="tiny-chat-transcript">${embeddableJson(t)}</script>
</body>
</html>
`;
}
