import { eventually } from '@lemo/domain/testing';
import { requireBackend, startTcpProxy, type TcpProxy } from '@lemo/platform-testing';
import { openTestStorage, TEST_DIMENSION } from '../testing/milvus-harness';
import type { MilvusStorage } from './milvus-storage';

const unit = (axis: number) => Array.from({ length: TEST_DIMENSION }, (_, i) => (i === axis ? 1 : 0));

/** The real Milvus behind a proxy this suite cuts: a network outage for this client only, the server keeps running. */
describe('Milvus vector index through a real network outage', () => {
  let proxy: TcpProxy;
  let storage: MilvusStorage;
  let close: () => Promise<void>;

  beforeAll(async () => {
    proxy = await startTcpProxy(requireBackend('milvus').address);
    // A short call deadline, as serving gives recall strategies: a cut must not hold a call for the default 15 s.
    ({ storage, close } = await openTestStorage({ address: proxy.address, timeoutMs: 3_000 }));
  });
  afterAll(async () => {
    proxy.restore();
    await close?.();
    await proxy?.close();
  });

  it('fails with UNAVAILABLE while cut, reports it in health, and reconnects by itself after the restore', async () => {
    await storage.vectors.upsert('acme', 'shop', [
      { id: 'x', vector: unit(0) },
      { id: 'y', vector: unit(1) },
    ]);
    expect((await storage.vectors.search('acme', 'shop', unit(0), 1)).map((hit) => hit.id)).toEqual(['x']);
    expect(await storage.health.check()).toEqual([expect.objectContaining({ name: 'milvus', ok: true })]);

    proxy.cut();
    const started = Date.now();
    await expect(storage.vectors.search('acme', 'shop', unit(0), 1)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    // Within the call deadline, never hanging.
    expect(Date.now() - started).toBeLessThan(3_000 + 1_000);
    expect(await storage.health.check()).toEqual([expect.objectContaining({ name: 'milvus', ok: false })]);

    proxy.restore();
    // The gRPC channel reconnects on its own (backoff); the same client serves again, nothing is reopened.
    await eventually(async () => expect((await storage.vectors.search('acme', 'shop', unit(1), 1)).map((hit) => hit.id)).toEqual(['y']), 30_000, 200);
    expect(await storage.health.check()).toEqual([expect.objectContaining({ name: 'milvus', ok: true })]);
    expect(await storage.vectors.count('acme', 'shop')).toBe(2);
  });
});
