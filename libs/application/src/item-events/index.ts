export * from './item-event-message';
export * from './item-events-metrics';
export * from './item-events.consumer';
export * from './item-events.module';
export * from './ingestion-reporter';
