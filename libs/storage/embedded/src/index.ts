export { EMBEDDED_PORTS, EmbeddedStorageModule, type EmbeddedStorageAsyncOptions, type PortSelection, type PortToken } from './embedded-storage.module';
export { EmbeddedStorage } from './embedded-storage';
export { EMBEDDED_STORAGE_OPTIONS, type EmbeddedStorageOptions } from './embedded-storage.options';
export type { EventBusOptions } from './events/event-bus.adapter';
export type { JobQueueOptions } from './jobs/job-queue.adapter';
