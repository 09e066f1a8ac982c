import { healthIndicatorContract, vectorIndexContract } from '@lemo/domain/testing';
import { milvusHarness } from '../testing/milvus-harness';

vectorIndexContract(
  'Milvus',
  milvusHarness((storage) => storage.vectors),
);

healthIndicatorContract(
  'Milvus',
  milvusHarness((storage) => storage.health),
);
