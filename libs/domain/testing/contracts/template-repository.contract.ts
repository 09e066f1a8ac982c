import type { TemplateRepository } from '../../src/index';
import { aTemplate } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

export function templateRepositoryContract(name: string, create: HarnessFactory<TemplateRepository>): void {
  describe(`TemplateRepository contract (${name})`, () => {
    const repo = useHarness(create);
    const idsOf = (templates: ReadonlyArray<{ template_id: string }>) => templates.map((t) => t.template_id).sort();

    it('shows system templates to every tenant', async () => {
      await repo().upsert(aTemplate(null, 'system-news'));
      expect(await repo().get('acme', 'system-news')).toEqual(aTemplate(null, 'system-news'));
      expect(await repo().get('globex', 'system-news')).toEqual(aTemplate(null, 'system-news'));
      expect(idsOf(await repo().list('acme'))).toEqual(['system-news']);
    });

    it("shows a tenant's own templates to that tenant only", async () => {
      await repo().upsert(aTemplate(null, 'system-news'));
      await repo().upsert(aTemplate('acme', 'mine'));
      expect(await repo().get('acme', 'mine')).toEqual(aTemplate('acme', 'mine'));
      expect(await repo().get('globex', 'mine')).toBeNull();
      expect(idsOf(await repo().list('acme'))).toEqual(['mine', 'system-news']);
      expect(idsOf(await repo().list('globex'))).toEqual(['system-news']);
    });

    it('replaces a template on upsert', async () => {
      await repo().upsert(aTemplate('acme', 'mine', { name: 'v1' }));
      await repo().upsert(aTemplate('acme', 'mine', { name: 'v2', config: { recall: { total_limit: 10 } } }));
      expect(await repo().get('acme', 'mine')).toEqual(aTemplate('acme', 'mine', { name: 'v2', config: { recall: { total_limit: 10 } } }));
      expect(await repo().list('acme')).toHaveLength(1);
    });

    it("prefers the tenant's own template over a system one with the same id", async () => {
      await repo().upsert(aTemplate(null, 'shared', { name: 'system' }));
      await repo().upsert(aTemplate('acme', 'shared', { name: 'own' }));
      expect((await repo().get('acme', 'shared'))?.name).toBe('own');
      expect((await repo().get('globex', 'shared'))?.name).toBe('system');
    });

    it("deletes the tenant's own templates, never a system one or another tenant's", async () => {
      await repo().upsert(aTemplate(null, 'system-news'));
      await repo().upsert(aTemplate('acme', 'mine'));
      expect(await repo().delete('acme', 'system-news')).toBe(false);
      expect(await repo().delete('globex', 'mine')).toBe(false);
      expect(await repo().get('acme', 'system-news')).not.toBeNull();
      expect(await repo().get('acme', 'mine')).not.toBeNull();
      expect(await repo().delete('acme', 'mine')).toBe(true);
      expect(await repo().get('acme', 'mine')).toBeNull();
      expect(await repo().delete('acme', 'mine')).toBe(false);
    });
  });
}
