/**
 * Reading a transcript from a file's text, for the `tiny-chat verify`
 * command and the /verify page: the JSON file itself, or its HTML rendering,
 * which embeds the same JSON in
 * `<script type="application/json" id="tiny-chat-transcript">`, with every
 * `<` written `\u003c` so the text can never close the script early.
 */
export const TRANSCRIPT_SCRIPT_ID = 'tiny-chat-transcript';

const EMBEDDED = new RegExp(`<script[^>]*\\bid=["']?${TRANSCRIPT_SCRIPT_ID}["']?[^>]*>([\\s\\S]*?)</script>`, 'i');

/** The JSON for the HTML rendering's script element (JSON.stringify with `<` escaped). */
export function embeddableJson(transcript: unknown): string {
  return JSON.stringify(transcript).replace(/</g, '\\u003c');
}

/** The parsed transcript in `text`, JSON or HTML; throws an Error saying in words what the file is not. */
export function parseTranscriptText(text: string): unknown {
  const trimmed = text.trimStart();
  let json = trimmed;
  if (trimmed.startsWith('<')) {
    const found = EMBEDDED.exec(trimmed);
    if (!found) throw new Error(`an HTML file without an embedded transcript (script id "${TRANSCRIPT_SCRIPT_ID}")`);
    json = found[1]!;
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new Error('not JSON, nor an HTML rendering of a transcript');
  }
}
