import { healthIndicatorContract } from '@lemo/domain/testing';
import { inMemoryHarness } from '../../testing/embedded-harness';

healthIndicatorContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.health),
);
