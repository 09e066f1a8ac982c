export { MONGO_PORTS, MongoStorageModule, type MongoPortSelection, type MongoPortToken, type MongoStorageAsyncOptions } from './mongo-storage.module';
export { MongoStorage } from './mongo-storage';
export { MONGO_STORAGE_OPTIONS, DEFAULT_APPENDED_SETTLE_MS, type MongoStorageOptions } from './mongo-storage.options';
