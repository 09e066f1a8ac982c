import { Module, type DynamicModule, type FactoryProvider, type ModuleMetadata, type Provider } from '@nestjs/common';
import { EventBus, HealthIndicator } from '@lemo/domain';
import { Metrics, registerConsumerLagMetric } from '@lemo/platform-observability';
import { Gauge } from 'prom-client';
import { KafkaEventBus } from './kafka-event-bus.adapter';
import { KafkaHealthIndicator } from './kafka-health.adapter';
import { KAFKA_STORAGE_OPTIONS, type KafkaStorageOptions } from './kafka-storage.options';

export type PortToken = abstract new (...args: never[]) => unknown;

/** Which port tokens to provide (default: both), so another backend can serve e.g. the HealthIndicator. */
export interface KafkaPortSelection {
  ports?: readonly PortToken[];
}

export interface KafkaStorageAsyncOptions extends KafkaPortSelection {
  imports?: ModuleMetadata['imports'];
  inject?: FactoryProvider['inject'];
  useFactory: FactoryProvider<KafkaStorageOptions | Promise<KafkaStorageOptions>>['useFactory'];
}

const PORT_ADAPTERS: ReadonlyArray<[token: PortToken, adapter: (bus: KafkaEventBus) => unknown]> = [
  [EventBus, (bus) => bus],
  [HealthIndicator, (bus) => new KafkaHealthIndicator(bus)],
];

/** Every port the Kafka storage can serve. */
export const KAFKA_PORTS: readonly PortToken[] = PORT_ADAPTERS.map(([token]) => token);

const KAFKA_OUTBOX_METRICS = Symbol('KAFKA_OUTBOX_METRICS');

/** Outbox gauges (and the consumer lag, when this module serves the EventBus) on the process's registry, read at scrape time. */
function registerOutboxMetrics(metrics: Metrics | undefined, bus: KafkaEventBus, servesEventBus: boolean): boolean {
  const registry = metrics?.registry;
  if (!registry || registry.getSingleMetric('lemo_event_outbox_depth')) return false;
  if (servesEventBus) registerConsumerLagMetric(registry, () => bus.consumerLag());
  new Gauge({
    name: 'lemo_event_outbox_depth',
    help: 'Events accepted but not yet acknowledged by Kafka',
    registers: [registry],
    collect() {
      this.set(bus.outboxDepth());
    },
  });
  new Gauge({
    name: 'lemo_event_outbox_oldest_age_seconds',
    help: 'Age of the oldest event waiting in the outbox',
    registers: [registry],
    collect() {
      this.set(bus.outboxStatus().oldestAgeMs / 1000);
    },
  });
  return true;
}

/**
 * Serves the EventBus (and a HealthIndicator for Kafka) from Apache Kafka, with
 * a durable local outbox in front. Global, like the other storage modules.
 * On application shutdown the bus stops accepting, flushes its outbox with a
 * bounded wait and disconnects (KafkaEventBus.onApplicationShutdown). When the
 * app has a Metrics provider (platform-observability), the outbox depth and
 * age are exported as gauges, and the lag of this process's consumers as
 * `lemo_bus_consumer_lag{group,topic,partition}`.
 */
@Module({})
export class KafkaStorageModule {
  static forRoot(options: KafkaStorageOptions, selection: KafkaPortSelection = {}): DynamicModule {
    return KafkaStorageModule.build({ provide: KAFKA_STORAGE_OPTIONS, useValue: options }, [], selection);
  }

  static forRootAsync(options: KafkaStorageAsyncOptions): DynamicModule {
    const optionsProvider: Provider = { provide: KAFKA_STORAGE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] };
    return KafkaStorageModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, selection: KafkaPortSelection): DynamicModule {
    const wanted = selection.ports ?? KAFKA_PORTS;
    const unknown = wanted.filter((token) => !KAFKA_PORTS.includes(token));
    if (unknown.length > 0) throw new Error(`Kafka storage cannot serve ${unknown.map((token) => token.name).join(', ')}; it serves EventBus and HealthIndicator`);
    const selected = PORT_ADAPTERS.filter(([token]) => wanted.includes(token));
    return {
      module: KafkaStorageModule,
      global: true,
      imports,
      providers: [
        optionsProvider,
        { provide: KafkaEventBus, useFactory: (options: KafkaStorageOptions) => KafkaEventBus.open(options), inject: [KAFKA_STORAGE_OPTIONS] },
        ...selected.map(([token, adapter]) => ({ provide: token, useFactory: adapter, inject: [KafkaEventBus] })),
        {
          provide: KAFKA_OUTBOX_METRICS,
          useFactory: (bus: KafkaEventBus, metrics?: Metrics) => registerOutboxMetrics(metrics, bus, wanted.includes(EventBus)),
          inject: [KafkaEventBus, { token: Metrics, optional: true }],
        },
      ],
      exports: [KafkaEventBus, ...selected.map(([token]) => token)],
    };
  }
}
