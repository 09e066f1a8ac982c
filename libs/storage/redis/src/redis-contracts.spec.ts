import { cacheContract, featureStoreContract, healthIndicatorContract } from '@lemo/domain/testing';
import { isolatedHarness } from '../testing/redis-harness';

cacheContract(
  'Redis',
  isolatedHarness((storage) => storage.cache),
);
featureStoreContract(
  'Redis',
  isolatedHarness((storage) => storage.features),
);
healthIndicatorContract(
  'Redis PING',
  isolatedHarness((storage) => storage.health),
);
