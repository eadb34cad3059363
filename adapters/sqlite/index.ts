/**
 * Entry point of `tiny-chat/adapters/sqlite`: the embedded, single-process
 * storage. Pair it with the default local event bus; it never reaches
 * another process.
 */
export { createSqliteStorage, SqliteStorage, type SqliteStorageOptions, type SqliteSynchronous } from './storage.js';
