import { cacheContract, featureStoreContract, healthIndicatorContract, realtimeCountersContract } from '@lemo/domain/testing';
import { isolatedHarness } from '../testing/redis-harness';

cacheContract(
  'Redis',
  isolatedHarness((storage) => storage.cache),
);
featureStoreContract(
  'Redis',
  isolatedHarness((storage) => storage.features),
);
realtimeCountersContract(
  'Redis',
  isolatedHarness((storage) => storage.counters),
);
healthIndicatorContract(
  'Redis PING',
  isolatedHarness((storage) => storage.health),
);
