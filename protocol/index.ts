/**
 * Public entry point of `tiny-chat/protocol`: everything a third-party client
 * or server needs to speak the wire protocol (types, signing bytes, text
 * rules, error codes). Importing it pulls in TypeBox for the schemas; a
 * browser client that wants only types should `import type`.
 */
export * from './base64url.js';
export * from './canonical.js';
export * from './chain.js';
export * from './errors.js';
export * from './frames.js';
export * from './limits.js';
export * from './moderation.js';
export * from './names.js';
export * from './text.js';
export * from './pow.js';
export * from './transcript.js';
export * from './transcript-file.js';
export * from './verify-transcript.js';
