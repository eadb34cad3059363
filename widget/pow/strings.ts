/**
 * The words only the proof-of-work chunk shows, kept in the chunk so the main
 * script does not carry them (lazy.ts). A host overrides them through the
 * element's `strings` like any other (docs/widget.md).
 */
export const POW_STRINGS = {
  powChecking: 'Checking your browser… This can take a few seconds.',
  powStopped: 'Stopped checking your browser.',
  powCancel: 'Cancel',
  powRetry: 'Try again',
} as const;

export type PowStrings = { -readonly [K in keyof typeof POW_STRINGS]: string };
