import {
  apiKeyRepositoryContract,
  datasetRepositoryContract,
  eventStoreContract,
  experimentRepositoryContract,
  healthIndicatorContract,
  ingestionReportsContract,
  itemRepositoryContract,
  modelArtifactStoreContract,
  modelRepositoryContract,
  scenarioRepositoryContract,
  templateRepositoryContract,
  tenantRepositoryContract,
  trackingSchemaRepositoryContract,
  userRepositoryContract,
} from '@lemo/domain/testing';
import { mongoHarness } from '../testing/mongo-harness';

// Every port this lib serves, held to the same contract as every other backend,
// on the real server of the dev stack (FerretDB here, MongoDB in production).
const NAME = 'MongoDB';

tenantRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.tenants),
);
apiKeyRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.apiKeys),
);
scenarioRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.scenarios),
);
experimentRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.experiments),
);
modelRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.models),
);
datasetRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.datasets),
);
templateRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.templates),
);
itemRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.items),
);
userRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.users),
);
trackingSchemaRepositoryContract(
  NAME,
  mongoHarness((storage) => storage.trackingSchemas),
);
eventStoreContract(
  NAME,
  mongoHarness((storage) => storage.events),
);
healthIndicatorContract(
  NAME,
  mongoHarness((storage) => storage.health),
);
modelArtifactStoreContract(
  NAME,
  mongoHarness((storage) => storage.artifacts),
);
ingestionReportsContract(
  NAME,
  mongoHarness((storage) => storage.ingestionReports),
);
