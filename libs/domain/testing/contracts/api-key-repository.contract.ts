import type { ApiKeyRepository } from '../../src/index';
import { expectDomainError } from '../assertions';
import { anApiKey, isoAt } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

export function apiKeyRepositoryContract(name: string, create: HarnessFactory<ApiKeyRepository>): void {
  describe(`ApiKeyRepository contract (${name})`, () => {
    const repo = useHarness(create);

    it('finds a key by the hash of its secret, and null for an unknown hash', async () => {
      const key = anApiKey('acme', 'k1', { scopes: ['admin'] });
      await repo().create(key);
      expect(await repo().findByHash(key.key_hash)).toEqual(key);
      expect(await repo().findByHash('sha256-unknown')).toBeNull();
    });

    it('refuses a taken key id in the tenant and a taken secret hash with ALREADY_EXISTS', async () => {
      await repo().create(anApiKey('acme', 'k1'));
      await expectDomainError(() => repo().create(anApiKey('acme', 'k1', { key_hash: 'sha256-other' })), 'ALREADY_EXISTS');
      await expectDomainError(() => repo().create(anApiKey('acme', 'k2', { key_hash: anApiKey('acme', 'k1').key_hash })), 'ALREADY_EXISTS');
      expect(await repo().listByTenant('acme')).toHaveLength(1);
    });

    it("lists only the tenant's own keys", async () => {
      await repo().create(anApiKey('acme', 'k1'));
      await repo().create(anApiKey('acme', 'k2'));
      await repo().create(anApiKey('globex', 'k1'));
      expect((await repo().listByTenant('acme')).map((k) => k.key_id).sort()).toEqual(['k1', 'k2']);
      expect((await repo().listByTenant('globex')).map((k) => `${k.tenant_id}/${k.key_id}`)).toEqual(['globex/k1']);
      expect(await repo().listByTenant('initech')).toEqual([]);
    });

    it('revokes a key of its tenant, which is still found by hash but marked revoked', async () => {
      const key = anApiKey('acme', 'k1');
      await repo().create(key);
      expect(await repo().revoke('acme', 'k1', isoAt(5000))).toBe(true);
      expect(await repo().findByHash(key.key_hash)).toEqual({ ...key, revoked: true, revoked_at: isoAt(5000) });
      expect(await repo().revoke('acme', 'unknown', isoAt(5000))).toBe(false);
    });

    it("never revokes another tenant's key, even with the same key id", async () => {
      const key = anApiKey('acme', 'k1');
      await repo().create(key);
      expect(await repo().revoke('globex', 'k1', isoAt(5000))).toBe(false);
      expect((await repo().findByHash(key.key_hash))?.revoked).toBe(false);
    });
  });
}
