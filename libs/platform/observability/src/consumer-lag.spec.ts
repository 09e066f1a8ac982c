import { Registry } from 'prom-client';
import { CONSUMER_LAG_METRIC, ConsumerLag, registerConsumerLagMetric } from './consumer-lag';

const lagLines = async (registry: Registry): Promise<string[]> =>
  (await registry.metrics())
    .split('\n')
    .filter((line) => line.startsWith(`${CONSUMER_LAG_METRIC}{`))
    .sort();

describe('consumer lag metric', () => {
  it('exports the lags known at scrape time, one series per group, topic and partition', async () => {
    const registry = new Registry();
    const lag = new ConsumerLag();
    expect(registerConsumerLagMetric(registry, () => lag.values())).toBe(true);
    lag.set({ group: 'analytics-ingestion', topic: 'user-behaviors-acme', partition: 0, lag: 12 });
    lag.set({ group: 'analytics-ingestion', topic: 'user-behaviors-acme', partition: 1, lag: 3 });
    // A later batch of the same partition replaces its value.
    lag.set({ group: 'analytics-ingestion', topic: 'user-behaviors-acme', partition: 0, lag: 0 });
    expect(await lagLines(registry)).toEqual([
      `${CONSUMER_LAG_METRIC}{group="analytics-ingestion",topic="user-behaviors-acme",partition="0"} 0`,
      `${CONSUMER_LAG_METRIC}{group="analytics-ingestion",topic="user-behaviors-acme",partition="1"} 3`,
    ]);
  });

  it('drops the series of partitions no longer consumed, instead of showing their last value forever', async () => {
    const registry = new Registry();
    const lag = new ConsumerLag();
    registerConsumerLagMetric(registry, () => lag.values());
    lag.set({ group: 'g', topic: 't', partition: 0, lag: 5 });
    lag.set({ group: 'g', topic: 't', partition: 1, lag: 7 });
    expect(await lagLines(registry)).toHaveLength(2);
    lag.retain((sample) => sample.partition === 1);
    expect(await lagLines(registry)).toEqual([`${CONSUMER_LAG_METRIC}{group="g",topic="t",partition="1"} 7`]);
    lag.clear();
    expect(await lagLines(registry)).toEqual([]);
  });

  it('never reports a negative lag, and registers once per registry', async () => {
    const registry = new Registry();
    const lag = new ConsumerLag();
    lag.set({ group: 'g', topic: 't', partition: 0, lag: -2 });
    expect(registerConsumerLagMetric(registry, () => lag.values())).toBe(true);
    expect(registerConsumerLagMetric(registry, () => [])).toBe(false);
    expect(await lagLines(registry)).toEqual([`${CONSUMER_LAG_METRIC}{group="g",topic="t",partition="0"} 0`]);
  });
});
