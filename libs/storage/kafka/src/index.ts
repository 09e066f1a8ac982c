export { KAFKA_PORTS, KafkaStorageModule, type KafkaPortSelection, type KafkaStorageAsyncOptions } from './kafka-storage.module';
export { KafkaEventBus, type ClusterInfo, type OutboxStatus } from './kafka-event-bus.adapter';
export { KafkaHealthIndicator } from './kafka-health.adapter';
export { KAFKA_STORAGE_OPTIONS, kafkaStorageOptionsSchema, type KafkaStorageOptions } from './kafka-storage.options';
