export { REDIS_PORTS, RedisStorageModule, type PortSelection, type PortToken, type RedisStorageAsyncOptions } from './redis-storage.module';
export { RedisStorage } from './redis-storage';
export { REDIS_STORAGE_OPTIONS, type RedisStorageOptions } from './redis-storage.options';
export { RedisCache } from './cache.adapter';
export { RedisFeatureStore } from './feature-store.adapter';
export { RedisHealthIndicator } from './health.adapter';
export { RedisKeyspace } from './redis-keys';
