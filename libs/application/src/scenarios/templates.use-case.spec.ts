import { aTemplate } from '@lemo/domain/testing';
import { type ConfigTemplate, type TemplateRepository } from '@lemo/domain';
import type { EngineCapabilitiesProvider } from './engine-capabilities';
import { TemplatesUseCase, updateTemplateSchema } from './templates.use-case';

/** Templates in memory: a tenant sees its own and the system ones (tenant_id null). */
class FakeTemplates {
  readonly docs = new Map<string, ConfigTemplate>();
  async upsert(template: ConfigTemplate): Promise<void> {
    this.docs.set(`${template.tenant_id ?? ''}/${template.template_id}`, template);
  }
  async get(tenantId: string, templateId: string): Promise<ConfigTemplate | null> {
    return this.docs.get(`${tenantId}/${templateId}`) ?? this.docs.get(`/${templateId}`) ?? null;
  }
}

const capabilities = { get: () => ({ recallStrategies: ['popular', 'latest', 'item_cf', 'recent_similar'], rankers: ['rule'] }) } as unknown as EngineCapabilitiesProvider;

function setup() {
  const repo = new FakeTemplates();
  return { repo, templates: new TemplatesUseCase(repo as unknown as TemplateRepository, capabilities) };
}

describe('TemplatesUseCase.update', () => {
  it("replaces the given fields, merges config over the stored one, and keeps what was not given", async () => {
    const { repo, templates } = setup();
    await repo.upsert(aTemplate('acme', 'mine', { name: 'Mine', description: 'kept', scenario_type: 'news', config: { recall: { total_limit: 300 }, cache_ttl_seconds: 30 } }));
    const updated = await templates.update('acme', 'mine', updateTemplateSchema.parse({ name: 'Renamed', config: { cache_ttl_seconds: 5 } }));
    expect(updated).toMatchObject({ name: 'Renamed', description: 'kept', scenario_type: 'news', config: { recall: { total_limit: 300 }, cache_ttl_seconds: 5 } });
    expect(await repo.get('acme', 'mine')).toEqual(updated);
  });

  it('refuses system templates, invalid merged configs and templates of other tenants', async () => {
    const { repo, templates } = setup();
    await repo.upsert(aTemplate(null, 'system-news', { is_system: true }));
    await repo.upsert(aTemplate('acme', 'mine'));
    await expect(templates.update('acme', 'system-news', { name: 'Mine now' })).rejects.toMatchObject({ code: 'FAILED_PRECONDITION' });
    await expect(templates.update('acme', 'mine', { config: { recall: { strategies: [{ name: 'telepathy' }] } } })).rejects.toMatchObject({ code: 'INVALID_SCENARIO_CONFIG' });
    await expect(templates.update('other', 'mine', { name: 'theirs' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('does not blank fields that an update leaves out', () => {
    expect(updateTemplateSchema.parse({ name: 'X' })).toEqual({ name: 'X' });
  });
});
