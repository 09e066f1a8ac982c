import { Logger } from '@nestjs/common';
import { jobQueueContract, schedulerContract, type HarnessFactory } from '@lemo/domain/testing';
import type { Scheduler } from '@lemo/domain';
import { inMemoryHarness, openOnDisk, temporaryDataDir } from '../../testing/embedded-harness';

beforeAll(() => Logger.overrideLogger(false));

jobQueueContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.jobQueue),
);

/** Two storages on one database file: two beat processes sharing the embedded store. */
const twoReplicas: HarnessFactory<[Scheduler, Scheduler]> = async () => {
  const data = temporaryDataDir();
  const first = openOnDisk(data.dir);
  const second = openOnDisk(data.dir);
  return {
    port: [first.scheduler, second.scheduler],
    close: async () => {
      await Promise.all([first.close(), second.close()]);
      data.remove();
    },
  };
};

schedulerContract('embedded SQLite, two connections to one file', twoReplicas);
