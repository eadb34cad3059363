/**
 * Entry point of `tiny-chat/adapters/redis`: the storage that many server
 * instances share, the event bus that must go with it (both take the same
 * url and prefix), and the rate store that keeps their shared rate limits.
 */
export { createRedisStorage, RedisStorage, type RedisStorageOptions } from './storage.js';
export { createRedisEventBus, RedisEventBus, type RedisEventBusOptions } from './bus.js';
export { createRedisRateStore, RedisRateStore } from './rates.js';
export type { RedisConnectionOptions, RedisLogger } from './connection.js';
