import { vectorIndexContract } from '@lemo/domain/testing';
import { inMemoryHarness, openOnDisk, temporaryDataDir } from '../../testing/embedded-harness';

vectorIndexContract(
  'hnswlib, in memory',
  inMemoryHarness((storage) => storage.vectors),
);

vectorIndexContract('hnswlib, on disk', async () => {
  const data = temporaryDataDir();
  const storage = openOnDisk(data.dir);
  return {
    port: storage.vectors,
    close: async () => {
      await storage.close();
      data.remove();
    },
  };
});
