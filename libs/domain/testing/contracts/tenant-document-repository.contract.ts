import type { TenantDocumentRepository } from '../../src/index';
import { expectDomainError } from '../assertions';
import { isoAt } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

/** How to build the documents of one collection for the shared suite. */
export interface DocumentSuiteSpec<T extends { tenant_id: string; created_at: string }, F extends object> {
  /** Builds a valid document; fields of `overrides` win. */
  make(tenantId: string, id: string, overrides?: Partial<T>): T;
  idOf(doc: T): string;
  /** A visible change for update tests. */
  change(doc: T): T;
  /** Per filter field: a value to match and a different one. */
  filterValues: { [K in keyof F]: [F[K], F[K]] };
}

/** The suite every TenantDocumentRepository (scenarios, experiments, models, datasets) must pass. */
export function tenantDocumentRepositoryContract<T extends { tenant_id: string; created_at: string }, F extends object>(
  portName: string,
  name: string,
  create: HarnessFactory<TenantDocumentRepository<T, F>>,
  spec: DocumentSuiteSpec<T, F>,
): void {
  describe(`${portName} contract (${name})`, () => {
    const repo = useHarness(create);
    const at = (seconds: number) => ({ created_at: isoAt(seconds * 1000) }) as Partial<T>;
    const idsOf = (docs: readonly T[]) => docs.map((doc) => spec.idOf(doc));

    it('returns a created document as it was stored, and null for an unknown id', async () => {
      const doc = spec.make('acme', 'd1');
      await repo().create(doc);
      expect(await repo().get('acme', 'd1')).toEqual(doc);
      expect(await repo().get('acme', 'd2')).toBeNull();
    });

    it('refuses a taken id in the tenant with ALREADY_EXISTS, and allows it in another tenant', async () => {
      await repo().create(spec.make('acme', 'd1'));
      await expectDomainError(() => repo().create(spec.change(spec.make('acme', 'd1'))), 'ALREADY_EXISTS');
      expect(await repo().get('acme', 'd1')).toEqual(spec.make('acme', 'd1'));
      await repo().create(spec.make('globex', 'd1'));
      expect((await repo().get('globex', 'd1'))?.tenant_id).toBe('globex');
    });

    it("never returns another tenant's document", async () => {
      await repo().create(spec.make('acme', 'd1'));
      expect(await repo().get('globex', 'd1')).toBeNull();
      expect((await repo().list('globex', {}, { page: 1, pageSize: 10 })).total).toBe(0);
    });

    it('replaces a document on update, and reports NOT_FOUND for an unknown one', async () => {
      await repo().create(spec.make('acme', 'd1'));
      const changed = spec.change(spec.make('acme', 'd1'));
      await repo().update(changed);
      expect(await repo().get('acme', 'd1')).toEqual(changed);
      await expectDomainError(() => repo().update(spec.make('acme', 'ghost')), 'NOT_FOUND');
      expect(await repo().get('acme', 'ghost')).toBeNull();
    });

    it("cannot update another tenant's document", async () => {
      await repo().create(spec.make('acme', 'd1'));
      await expectDomainError(() => repo().update(spec.change(spec.make('globex', 'd1'))), 'NOT_FOUND');
      expect(await repo().get('acme', 'd1')).toEqual(spec.make('acme', 'd1'));
      expect(await repo().get('globex', 'd1')).toBeNull();
    });

    it('deletes within the tenant only and reports whether something was deleted', async () => {
      await repo().create(spec.make('acme', 'd1'));
      expect(await repo().delete('globex', 'd1')).toBe(false);
      expect(await repo().get('acme', 'd1')).not.toBeNull();
      expect(await repo().delete('acme', 'd1')).toBe(true);
      expect(await repo().get('acme', 'd1')).toBeNull();
      expect(await repo().delete('acme', 'd1')).toBe(false);
    });

    it("lists the tenant's documents newest first, in pages, with the total", async () => {
      for (const [i, id] of ['d1', 'd2', 'd3', 'd4', 'd5'].entries()) await repo().create(spec.make('acme', id, at(i)));
      await repo().create(spec.make('globex', 'd9', at(99)));
      const first = await repo().list('acme', {}, { page: 1, pageSize: 2 });
      const second = await repo().list('acme', {}, { page: 2, pageSize: 2 });
      const third = await repo().list('acme', {}, { page: 3, pageSize: 2 });
      expect([first.total, second.total, third.total]).toEqual([5, 5, 5]);
      expect([...idsOf(first.items), ...idsOf(second.items), ...idsOf(third.items)]).toEqual(['d5', 'd4', 'd3', 'd2', 'd1']);
      expect(second).toMatchObject({ page: 2, pageSize: 2 });
    });

    const fields = Object.keys(spec.filterValues) as Array<keyof F & string>;

    it.each(fields)('filters by %s with an exact match', async (field) => {
      const [wanted, other] = spec.filterValues[field];
      await repo().create(spec.make('acme', 'match', { ...at(1), [field]: wanted } as Partial<T>));
      await repo().create(spec.make('acme', 'other', { ...at(2), [field]: other } as Partial<T>));
      await repo().create(spec.make('globex', 'match', { ...at(3), [field]: wanted } as Partial<T>));
      const page = await repo().list('acme', { [field]: wanted } as Partial<F>, { page: 1, pageSize: 10 });
      expect(idsOf(page.items)).toEqual(['match']);
      expect(page.total).toBe(1);
    });

    it('combines filters with AND', async () => {
      const allWanted = Object.fromEntries(fields.map((field) => [field, spec.filterValues[field][0]]));
      await repo().create(spec.make('acme', 'all', { ...at(1), ...allWanted } as Partial<T>));
      for (const [i, field] of fields.entries()) {
        await repo().create(spec.make('acme', `not-${field}`, { ...at(2 + i), ...allWanted, [field]: spec.filterValues[field][1] } as Partial<T>));
      }
      const page = await repo().list('acme', allWanted as Partial<F>, { page: 1, pageSize: 10 });
      expect(idsOf(page.items)).toEqual(['all']);
      expect(page.total).toBe(1);
    });
  });
}
