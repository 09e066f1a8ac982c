import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { DomainError, SYSTEM_TEMPLATES, TemplateRepository, createTemplateSchema, validateScenarioConfig, type ConfigTemplate } from '@lemo/domain';
import { deepMerge } from '../shared/deep-merge';
import { nowIso } from '../shared/time';
import { EngineCapabilitiesProvider } from './engine-capabilities';

/** A template edit: the fields given replace the stored ones, except `config`, which is merged over the stored config (as a scenario update does). */
export const updateTemplateSchema = z
  .object({
    name: createTemplateSchema.shape.name.optional(),
    description: z.string().max(4096).optional(),
    scenario_type: createTemplateSchema.shape.scenario_type.optional(),
    config: createTemplateSchema.shape.config.optional(),
  })
  .strict();
export type UpdateTemplateInput = z.infer<typeof updateTemplateSchema>;

@Injectable()
export class TemplatesUseCase {
  constructor(
    private readonly templates: TemplateRepository,
    private readonly capabilities: EngineCapabilitiesProvider,
  ) {}

  /** Writes the system templates; run at every start so new releases update them. */
  async seedSystemTemplates(): Promise<void> {
    const now = nowIso();
    for (const template of SYSTEM_TEMPLATES) {
      const existing = await this.templates.get('', template.template_id);
      await this.templates.upsert({ ...template, created_at: existing?.created_at ?? now, updated_at: now });
    }
  }

  list(tenantId: string): Promise<ConfigTemplate[]> {
    return this.templates.list(tenantId);
  }

  async get(tenantId: string, templateId: string): Promise<ConfigTemplate> {
    const template = await this.templates.get(tenantId, templateId);
    if (!template) throw DomainError.notFound('template', templateId);
    return template;
  }

  async create(tenantId: string, input: z.infer<typeof createTemplateSchema>): Promise<ConfigTemplate> {
    if (await this.templates.get(tenantId, input.template_id)) throw DomainError.alreadyExists('template', input.template_id);
    this.validOrThrow(input.config);
    const now = nowIso();
    const template: ConfigTemplate = { ...input, tenant_id: tenantId, is_system: false, created_at: now, updated_at: now };
    await this.templates.upsert(template);
    return template;
  }

  /** Edits one of the tenant's templates; system templates are read-only (FAILED_PRECONDITION). The merged config is validated as on create. */
  async update(tenantId: string, templateId: string, input: UpdateTemplateInput): Promise<ConfigTemplate> {
    const template = await this.get(tenantId, templateId);
    if (template.is_system) throw new DomainError('FAILED_PRECONDITION', `system template '${templateId}' cannot be changed`);
    const updated: ConfigTemplate = {
      ...template,
      name: input.name ?? template.name,
      description: input.description ?? template.description,
      scenario_type: input.scenario_type ?? template.scenario_type,
      config: input.config ? this.validOrThrow(deepMerge(template.config, input.config)) : template.config,
      updated_at: nowIso(),
    };
    await this.templates.upsert(updated);
    return updated;
  }

  async delete(tenantId: string, templateId: string): Promise<void> {
    const template = await this.get(tenantId, templateId);
    if (template.is_system) throw new DomainError('FAILED_PRECONDITION', `system template '${templateId}' cannot be deleted`);
    await this.templates.delete(tenantId, templateId);
  }

  private validOrThrow(config: Record<string, unknown>): Record<string, unknown> {
    const validation = validateScenarioConfig(config, this.capabilities.get());
    if (!validation.valid) throw new DomainError('INVALID_SCENARIO_CONFIG', 'invalid template config', validation.errors);
    return config;
  }
}
