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
import type { Transcript } from './transcript.js';

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
.text{white-space:pre-wrap;overflow-wrap:anywhere}code{font-size:.8rem;overflow-wrap:anywhere}`;

export function transcriptHtml(t: Transcript, strings: Strings & ExportStrings): string {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const title = escapeHtml(fill(strings.transcriptTitle, { room: t.room.id }));
  const rows = t.messages
    .map(
      (
        m,
      ) => `<li id="seq-${m.seq}"><div class="meta">#${m.seq} · <bdi class="name">${escapeHtml(m.name)}</bdi> · <time datetime="${iso(m.ts)}">${iso(m.ts)}</time></div>
<div class="text">${escapeHtml(m.text)}</div>
<div class="meta">${escapeHtml(strings.fingerprint)}: <code>${escapeHtml(m.alg)} ${escapeHtml(m.pub)}</code></div></li>`,
    )
    .join('\n');
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
<dt>${escapeHtml(strings.transcriptCreated)}</dt><dd><time datetime="${iso(t.room.createdAt)}">${iso(t.room.createdAt)}</time></dd>
<dt>${escapeHtml(strings.transcriptExported)}</dt><dd><time datetime="${iso(t.exportedAt)}">${iso(t.exportedAt)}</time></dd>
<dt>${escapeHtml(strings.messages)}</dt><dd>${t.messages.length}</dd>
</dl>
<p>${escapeHtml(strings.transcriptVerify)}</p>
<ol>
${rows}
</ol>
<script type="application/json" id="tiny-chat-transcript">${embeddableJson(t)}</script>
</body>
</html>
`;
}
