import {
  apiKeyRepositoryContract,
  datasetRepositoryContract,
  experimentRepositoryContract,
  itemRepositoryContract,
  modelRepositoryContract,
  scenarioRepositoryContract,
  templateRepositoryContract,
  tenantRepositoryContract,
  trackingSchemaRepositoryContract,
  userRepositoryContract,
} from '@lemo/domain/testing';
import { inMemoryHarness } from '../../testing/embedded-harness';

const NAME = 'embedded SQLite';

tenantRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.tenants),
);
apiKeyRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.apiKeys),
);
scenarioRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.scenarios),
);
experimentRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.experiments),
);
modelRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.models),
);
datasetRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.datasets),
);
templateRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.templates),
);
itemRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.items),
);
userRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.users),
);
trackingSchemaRepositoryContract(
  NAME,
  inMemoryHarness((storage) => storage.trackingSchemas),
);
