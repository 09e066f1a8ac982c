export { BULL_PORTS, BullStorageModule, type BullPortSelection, type BullStorageAsyncOptions, type PortToken } from './bull-storage.module';
export { BullStorage, scheduleTicksKey } from './bull-storage';
export { BULL_STORAGE_OPTIONS, type BullStorageOptions } from './bull-storage.options';
export { BullJobQueue } from './job-queue.adapter';
export { RedisScheduler } from './scheduler.adapter';
