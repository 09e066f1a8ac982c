import { cacheContract, featureStoreContract, realtimeCountersContract } from '@lemo/domain/testing';
import { inMemoryHarness } from '../../testing/embedded-harness';

cacheContract(
  'in-process LRU',
  inMemoryHarness((storage) => storage.cache),
);
featureStoreContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.features),
);
realtimeCountersContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.counters),
);
