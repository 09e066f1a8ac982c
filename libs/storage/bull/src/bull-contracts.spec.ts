import type { Scheduler } from '@lemo/domain';
import { jobQueueContract, schedulerContract, type HarnessFactory } from '@lemo/domain/testing';
import { closeAndWipe, isolatedHarness, openIsolated, quietLogs } from '../testing/bull-harness';

beforeAll(quietLogs);

jobQueueContract(
  'Bull on Redis',
  isolatedHarness((storage) => storage.jobQueue),
);

/** Two storages with their own connections and one prefix: two beat processes sharing Redis. */
const twoReplicas: HarnessFactory<[Scheduler, Scheduler]> = async () => {
  const first = openIsolated();
  const second = openIsolated({ prefix: first.options.prefix });
  return { port: [first.scheduler, second.scheduler], close: () => closeAndWipe(first, second) };
};

schedulerContract('Redis tick claims, two connections', twoReplicas);
