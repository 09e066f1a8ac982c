import { analyticsStoreContract } from '@lemo/domain/testing';
import { inMemoryHarness } from '../../testing/embedded-harness';

analyticsStoreContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.analytics),
);
