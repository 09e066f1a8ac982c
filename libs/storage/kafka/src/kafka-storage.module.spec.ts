import { Global, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { EventBus, HealthIndicator, ItemRepository } from '@lemo/domain';
import { Metrics } from '@lemo/platform-observability';
import { KafkaEventBus } from './kafka-event-bus.adapter';
import { KafkaStorageModule } from './kafka-storage.module';
import { isolatedOptions, wipeNamespace } from '../testing/kafka-harness';

beforeAll(() => Logger.overrideLogger(false));

@Global()
@Module({ providers: [{ provide: Metrics, useFactory: () => new Metrics('kafka-spec') }], exports: [Metrics] })
class TestMetricsModule {}

describe('KafkaStorageModule', () => {
  const namespaces: string[] = [];
  const options = () => {
    const opts = isolatedOptions();
    namespaces.push(opts.namespace ?? '');
    return opts;
  };
  afterAll(async () => {
    for (const namespace of namespaces) await wipeNamespace(namespace);
  });

  it('provides the EventBus and a Kafka HealthIndicator, and on shutdown flushes the outbox and stops accepting', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [KafkaStorageModule.forRoot(options())] }).compile();
    const app = await moduleRef.init();
    const bus = app.get(EventBus);
    expect(bus).toBeInstanceOf(KafkaEventBus);
    expect(await app.get(HealthIndicator).check()).toEqual([{ name: 'kafka', ok: true, detail: expect.stringContaining('outbox depth 0') }]);
    await bus.publish([{ topic: 'orders', key: 'k', value: 1 }]);
    await app.close();
    expect((bus as KafkaEventBus).outboxDepth()).toBe(0);
    await expect(bus.publish([{ topic: 'orders', key: 'k', value: 2 }])).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('builds from async options, serves only the selected ports and exports the outbox gauges', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestMetricsModule, KafkaStorageModule.forRootAsync({ useFactory: async () => options(), ports: [EventBus] })],
    }).compile();
    const app = await moduleRef.init();
    expect(app.get(EventBus)).toBeInstanceOf(KafkaEventBus);
    expect(() => app.get(HealthIndicator)).toThrow();
    const scraped = await app.get(Metrics).registry.metrics();
    expect(scraped).toMatch(/^lemo_event_outbox_depth\{[^}]*\} 0$/m);
    expect(scraped).toMatch(/^lemo_event_outbox_oldest_age_seconds\{[^}]*\} 0$/m);
    expect(scraped).toMatch(/^# TYPE lemo_bus_consumer_lag gauge$/m);
    await app.close();
  });

  it('leaves the consumer lag to the backend serving the EventBus when it serves only the HealthIndicator', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [TestMetricsModule, KafkaStorageModule.forRootAsync({ useFactory: async () => options(), ports: [HealthIndicator] })],
    }).compile();
    const app = await moduleRef.init();
    expect(await app.get(Metrics).registry.metrics()).not.toContain('lemo_bus_consumer_lag');
    await app.close();
  });

  it('refuses to serve a port Kafka does not back', () => {
    expect(() => KafkaStorageModule.forRoot(options(), { ports: [ItemRepository] })).toThrow(/cannot serve ItemRepository/);
  });

  it('refuses invalid options at start, naming the field', () => {
    expect(() => KafkaEventBus.open({ ...options(), partitions: 0 })).toThrow(/partitions/);
  });
});
