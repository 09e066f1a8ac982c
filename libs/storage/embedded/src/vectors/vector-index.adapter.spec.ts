import { Logger } from '@nestjs/common';
import { bruteForceTopK, eventually, plantedClusters } from '@lemo/domain/testing';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openInMemory, openOnDisk, temporaryDataDir, TEST_VECTOR_DIMENSION } from '../../testing/embedded-harness';
import { HnswNamespace } from './hnsw-namespace';

beforeAll(() => Logger.overrideLogger(false));

const data = plantedClusters(TEST_VECTOR_DIMENSION, 3, 20);
const query = data[25].vector;
const expected = bruteForceTopK(data, query, 5);
const idsOf = (hits: ReadonlyArray<{ id: string }>) => hits.map((hit) => hit.id);

describe('HnswVectorIndex persistence', () => {
  let dir: ReturnType<typeof temporaryDataDir>;
  beforeEach(() => (dir = temporaryDataDir()));
  afterEach(() => dir.remove());
  const indexFile = () => path.join(dir.dir, 'vectors', 'acme', 'home.hnsw');

  it('writes the index on close and loads it at the next start instead of rebuilding', async () => {
    const before = openOnDisk(dir.dir);
    await before.vectors.upsert('acme', 'home', data);
    await before.close();
    expect(existsSync(indexFile())).toBe(true);

    const load = jest.spyOn(HnswNamespace, 'load');
    const rebuild = jest.spyOn(HnswNamespace, 'empty');
    const after = openOnDisk(dir.dir);
    expect(idsOf(await after.vectors.search('acme', 'home', query, 5))).toEqual(expected);
    expect(load).toHaveBeenCalledTimes(1);
    expect(rebuild).not.toHaveBeenCalled();
    await after.close();
  });

  it('rebuilds from SQLite when the file is older than the last write (a crash before the flush)', async () => {
    const first = openOnDisk(dir.dir);
    await first.vectors.upsert('acme', 'home', data.slice(0, 30));
    await first.close();
    const crashed = openOnDisk(dir.dir);
    await crashed.vectors.upsert('acme', 'home', data.slice(30));
    crashed.db.close();
    await crashed.close();

    const load = jest.spyOn(HnswNamespace, 'load');
    const after = openOnDisk(dir.dir);
    expect(idsOf(await after.vectors.search('acme', 'home', query, 5))).toEqual(expected);
    expect(load).not.toHaveBeenCalled();
    await after.close();
  });

  it('rebuilds from SQLite when the file is unreadable', async () => {
    const before = openOnDisk(dir.dir);
    await before.vectors.upsert('acme', 'home', data);
    await before.close();
    writeFileSync(indexFile(), 'not an index');
    const after = openOnDisk(dir.dir);
    expect(idsOf(await after.vectors.search('acme', 'home', query, 5))).toEqual(expected);
    await after.close();
  });

  it('writes changed indexes periodically, not only on close', async () => {
    const storage = openOnDisk(dir.dir, { vectorFlushIntervalMs: 50 });
    await storage.vectors.upsert('acme', 'home', data.slice(0, 3));
    await eventually(() => expect(existsSync(indexFile())).toBe(true), 2000);
    await storage.close();
  });

  it('drops vectors of a previous dimension when the configured one changes', async () => {
    const before = openOnDisk(dir.dir);
    await before.vectors.upsert('acme', 'home', data);
    await before.close();
    const after = openOnDisk(dir.dir, { vectorDimension: 4 });
    expect(await after.vectors.search('acme', 'home', [1, 0, 0, 0], 5)).toEqual([]);
    await after.vectors.upsert('acme', 'home', [{ id: 'small', vector: [1, 0, 0, 0] }]);
    expect(await after.vectors.count('acme', 'home')).toBe(1);
    expect(idsOf(await after.vectors.search('acme', 'home', [1, 0.1, 0, 0], 5))).toEqual(['small']);
    await after.close();
  });
});

describe('HnswVectorIndex capacity', () => {
  it('grows past its initial capacity and reuses the slots of removed vectors', async () => {
    const storage = openInMemory();
    const many = plantedClusters(TEST_VECTOR_DIMENSION, 4, 300, 11);
    for (let i = 0; i < many.length; i += 200) await storage.vectors.upsert('acme', 'home', many.slice(i, i + 200));
    expect(await storage.vectors.count('acme', 'home')).toBe(1200);
    const probe = many[777].vector;
    expect(idsOf(await storage.vectors.search('acme', 'home', probe, 1))).toEqual([many[777].id]);
    await storage.vectors.remove(
      'acme',
      'home',
      many.slice(0, 600).map((entry) => entry.id),
    );
    await storage.vectors.upsert('acme', 'home', [{ id: 'fresh', vector: probe }]);
    const hits = await storage.vectors.search('acme', 'home', probe, 2);
    expect(idsOf(hits).sort()).toEqual([many[777].id, 'fresh'].sort());
    await storage.close();
  });
});
