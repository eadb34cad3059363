/**
 * The words only the export chunk shows, kept in the chunk so the main
 * script does not carry them (lazy.ts). A host overrides them through the
 * element's `strings` like any other (docs/widget.md).
 */
export const EXPORT_STRINGS = {
  transcriptSaved: 'Saved {file}',
  transcriptSaveHtml: 'Save a readable copy (HTML)',
  transcriptTitle: 'Transcript of room {room}',
  transcriptCreated: 'Room created',
  transcriptExported: 'Exported',
  transcriptServerKey: 'Server key',
  transcriptVerify:
    'Every message is signed by its sender and linked to the one before it, and the server signed the last link. The transcript is embedded in this page as JSON: check it with npx tiny-chat verify, or on the server’s /verify page.',
} as const;

export type ExportStrings = { -readonly [K in keyof typeof EXPORT_STRINGS]: string };
