/**
 * The "Export transcript" chunk (lazy.ts): loaded when a reader first asks
 * for an export, never with the main script. It saves the transcript as one
 * JSON file at once, and returns the view that offers the readable HTML copy.
 * Only `html` and `nothing` may come from lit here (lazy.script.ts).
 */
import { html, type TemplateResult } from 'lit';
import type { Transcript } from '../../protocol/transcript.js';
import { fill, type Strings } from '../strings.js';
import { transcriptHtml } from './html.js';
import { EXPORT_STRINGS } from './strings.js';
import { fetchTranscript, TranscriptError, transcriptFileName, type TranscriptSource } from './transcript.js';

export { EXPORT_STRINGS, TranscriptError, transcriptHtml };
export type { TranscriptSource };

/** Offers `body` as a download named `file` (a blob URL: nothing more leaves the browser). */
function save(body: string, type: string, file: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file;
  link.click();
  // The download has its own copy once it started; the URL is only needed for the click.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Asks the server for the room's transcript, saves it as JSON, and returns
 * what to show next to the export action: which file was saved, and a button
 * that saves the readable HTML copy of the same transcript. Rejects with a
 * TranscriptError carrying the server's code when it refuses.
 */
export async function exportTranscript(source: TranscriptSource, text: Strings): Promise<TemplateResult> {
  // The element's strings hold this chunk's words only where the host overrode them.
  const strings = { ...EXPORT_STRINGS, ...text };
  const t: Transcript = await fetchTranscript(source);
  const json = transcriptFileName(t, 'json');
  save(JSON.stringify(t, null, 1), 'application/json', json);
  const saveHtml = (): void => save(transcriptHtml(t, strings), 'text/html', transcriptFileName(t, 'html'));
  return html`<p role="status">${fill(strings.transcriptSaved, { file: json })}</p>
    <button type="button" class="quiet" @click=${saveHtml}>${strings.transcriptSaveHtml}</button>`;
}
