export { MILVUS_PORTS, MilvusStorageModule, type PortSelection, type MilvusStorageAsyncOptions, type PortToken } from './milvus-storage.module';
export { MilvusStorage } from './milvus-storage';
export { MILVUS_STORAGE_OPTIONS, defaultCollectionName, type MilvusConsistency, type MilvusStorageOptions } from './milvus-storage.options';
export { MilvusVectorIndex } from './milvus-vector-index.adapter';
export { MilvusHealthIndicator } from './milvus-health.adapter';
