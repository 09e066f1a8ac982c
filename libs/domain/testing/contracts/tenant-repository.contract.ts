import type { TenantRepository } from '../../src/index';
import { expectDomainError } from '../assertions';
import { aTenant, isoAt } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

export function tenantRepositoryContract(name: string, create: HarnessFactory<TenantRepository>): void {
  describe(`TenantRepository contract (${name})`, () => {
    const repo = useHarness(create);

    it('returns a created tenant as it was stored, and null for an unknown id', async () => {
      const tenant = aTenant('acme', { quotas: { max_items: 5, max_users: 6, max_events_per_day: 7, rate_limit_per_second: 8 } });
      await repo().create(tenant);
      expect(await repo().get('acme')).toEqual(tenant);
      expect(await repo().get('nobody')).toBeNull();
    });

    it('refuses a taken tenant id with ALREADY_EXISTS and keeps the first', async () => {
      await repo().create(aTenant('acme', { name: 'first' }));
      await expectDomainError(() => repo().create(aTenant('acme', { name: 'second' })), 'ALREADY_EXISTS');
      expect((await repo().get('acme'))?.name).toBe('first');
    });

    it('replaces a tenant on update, and reports NOT_FOUND for an unknown one', async () => {
      await repo().create(aTenant('acme'));
      await repo().update(aTenant('acme', { status: 'suspended', name: 'Renamed', updated_at: isoAt(1000) }));
      expect(await repo().get('acme')).toEqual(aTenant('acme', { status: 'suspended', name: 'Renamed', updated_at: isoAt(1000) }));
      await expectDomainError(() => repo().update(aTenant('ghost')), 'NOT_FOUND');
      expect(await repo().get('ghost')).toBeNull();
    });

    it('pages through every tenant exactly once with the total', async () => {
      const ids = ['t1', 't2', 't3', 't4', 't5'];
      for (const [i, id] of ids.entries()) await repo().create(aTenant(id, { created_at: isoAt(i * 1000) }));
      const pages = await Promise.all([1, 2, 3].map((page) => repo().list({ page, pageSize: 2 })));
      expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
      expect(pages.map((p) => p.items.length)).toEqual([2, 2, 1]);
      expect(pages[1]).toMatchObject({ page: 2, pageSize: 2 });
      expect(pages.flatMap((p) => p.items.map((t) => t.tenant_id)).sort()).toEqual(ids);
      expect((await repo().list({ page: 4, pageSize: 2 })).items).toEqual([]);
    });
  });
}
