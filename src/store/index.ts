// The store's public surface: import from here rather than from its files.
export { openDatabase } from './db.js';
export type { Database, DatabaseKind, OpenDatabaseOptions } from './db.js';
export { parseDatabaseUrl, redactUrl } from './database-url.js';
export { migrateToLatest } from './migrations/index.js';
export { SecretBox, generateTokenKey, hashKey, maskKey } from './crypto.js';
export { ConflictError, DatabaseError, NotFoundError, RedisError, SecretError } from './errors.js';
export { createRepositories } from './create-repositories.js';
export { CHANGE_CHANNEL, createLocalBus, createRedisBus } from './change-bus.js';
export type { BusOptions, ChangeBus, RedisBusOptions } from './change-bus.js';
export { closeRedis, connectRedis } from './redis.js';
export { StoreCache } from './cache.js';
export type { StoreCacheOptions } from './cache.js';
export { UsageWriter } from './usage-writer.js';
export type { UsageWriterOptions, UsageWriterStats } from './usage-writer.js';
export { IMAGE_OUTPUT_MODES } from './entities.js';
export type * from './entities.js';
export type * from './repositories.js';
export type * from './schema.js';
