import { modelArtifactStoreContract } from '@lemo/domain/testing';
import { inMemoryHarness } from '../../testing/embedded-harness';

modelArtifactStoreContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.artifacts),
);
