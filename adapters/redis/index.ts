/**
 * Entry point of `tiny-chat/adapters/redis`: the storage that many server
 * instances share.
 */
export { createRedisStorage, RedisStorage, type RedisStorageOptions } from './storage.js';
