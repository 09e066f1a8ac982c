import type { ModelArtifactStore } from '../../src/index';
import { expectDomainError } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';

/** Bytes of every value 0–255, repeated: catches text decoding and truncation at 0x00 or 0x80. */
function binary(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

export function modelArtifactStoreContract(name: string, create: HarnessFactory<ModelArtifactStore>): void {
  describe(`ModelArtifactStore contract (${name})`, () => {
    const store = useHarness(create);

    it('returns the exact bytes stored, and null for a missing key', async () => {
      const bytes = binary(1000, 7);
      const info = await store().put('acme', 'als-home/v1', bytes);
      expect(info).toMatchObject({ key: 'als-home/v1', bytes: 1000 });
      expect(Date.parse(info.updated_at)).not.toBeNaN();
      expect(Buffer.from((await store().get('acme', 'als-home/v1')) ?? [])).toEqual(Buffer.from(bytes));
      expect(await store().get('acme', 'als-home/v2')).toBeNull();
    });

    it('stores an artifact larger than one MongoDB document (16 MB) intact', async () => {
      const big = binary(17 * 1024 * 1024 + 3, 1);
      await store().put('acme', 'ease-home/v1', big);
      const back = await store().get('acme', 'ease-home/v1');
      expect(back?.length).toBe(big.length);
      expect(Buffer.compare(Buffer.from(back ?? []), Buffer.from(big))).toBe(0);
    }, 60_000);

    it('replaces an artifact on a second put', async () => {
      await store().put('acme', 'bpr/v1', binary(10, 1));
      await store().put('acme', 'bpr/v1', binary(4, 2));
      expect(Buffer.from((await store().get('acme', 'bpr/v1')) ?? [])).toEqual(Buffer.from(binary(4, 2)));
      expect(await store().list('acme', 'bpr/')).toEqual([expect.objectContaining({ key: 'bpr/v1', bytes: 4 })]);
    });

    it('lists by key prefix, in key order, and deletes', async () => {
      for (const key of ['als/v2', 'als/v1', 'bpr/v1', 'alsx/v1']) await store().put('acme', key, binary(3, 0));
      expect((await store().list('acme', 'als/')).map((a) => a.key)).toEqual(['als/v1', 'als/v2']);
      expect((await store().list('acme', '')).map((a) => a.key)).toEqual(['als/v1', 'als/v2', 'alsx/v1', 'bpr/v1']);
      expect(await store().delete('acme', 'als/v1')).toBe(true);
      expect(await store().delete('acme', 'als/v1')).toBe(false);
      expect(await store().get('acme', 'als/v1')).toBeNull();
      expect((await store().list('acme', 'als/')).map((a) => a.key)).toEqual(['als/v2']);
    });

    it("keeps tenants apart: one tenant never reads, lists or deletes another's artifact", async () => {
      await store().put('acme', 'als/v1', binary(5, 1));
      await store().put('globex', 'als/v1', binary(6, 2));
      expect((await store().get('acme', 'als/v1'))?.length).toBe(5);
      expect((await store().get('globex', 'als/v1'))?.length).toBe(6);
      expect(await store().delete('globex', 'als/v1')).toBe(true);
      expect((await store().get('acme', 'als/v1'))?.length).toBe(5);
      expect(await store().list('globex', '')).toEqual([]);
    });

    it('refuses keys that are not path-like ids with VALIDATION_FAILED', async () => {
      for (const key of ['', '../etc/passwd', '/abs', 'a//b', 'a/../b', 'sp ace', 'a/']) {
        await expectDomainError(() => store().put('acme', key, binary(1, 0)), 'VALIDATION_FAILED');
      }
    });
  });
}
