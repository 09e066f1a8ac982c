import { ingestionReportsContract } from '@lemo/domain/testing';
import { inMemoryHarness } from '../../testing/embedded-harness';

ingestionReportsContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.ingestionReports),
);
