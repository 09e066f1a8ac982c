import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { SCENARIO_STATUSES, SCENARIO_TYPES, createScenarioSchema, createTemplateSchema, scenarioConfigSchema, updateScenarioSchema, updateScenarioStatusSchema } from '@lemo/domain';
import { fieldIssueSchema, pagedSchema } from './common.dto';

export class CreateScenarioDto extends createZodDto(createScenarioSchema) {}
export class UpdateScenarioDto extends createZodDto(updateScenarioSchema) {}
export class UpdateScenarioStatusDto extends createZodDto(updateScenarioStatusSchema) {}
export class ValidateConfigDto extends createZodDto(z.object({ config: z.record(z.string(), z.unknown()).optional() }).strict()) {}
export class ScenarioListQueryDto extends createZodDto(
  z.object({
    scenario_type: z.enum(SCENARIO_TYPES).optional(),
    status: z.enum(SCENARIO_STATUSES).optional(),
    page: z.coerce.number().int().min(1).default(1),
    page_size: z.coerce.number().int().min(1).max(1000).default(20),
  }),
) {}

export const scenarioSchema = z.object({
  tenant_id: z.string(),
  scenario_id: z.string(),
  name: z.string(),
  scenario_type: z.enum(SCENARIO_TYPES),
  description: z.string(),
  status: z.enum(SCENARIO_STATUSES),
  config: scenarioConfigSchema,
  created_at: z.string(),
  updated_at: z.string(),
});
export class ScenarioDto extends createZodDto(scenarioSchema) {}
export class ScenarioPageDto extends createZodDto(pagedSchema(scenarioSchema)) {}

export class ConfigValidationDto extends createZodDto(
  z.object({ valid: z.boolean(), errors: z.array(fieldIssueSchema), warnings: z.array(fieldIssueSchema), config: scenarioConfigSchema.optional() }),
) {}

export class CreateTemplateDto extends createZodDto(createTemplateSchema) {}
export const templateSchema = z.object({
  template_id: z.string(),
  tenant_id: z.string().nullable(),
  name: z.string(),
  scenario_type: z.enum(SCENARIO_TYPES),
  description: z.string(),
  config: z.record(z.string(), z.unknown()),
  is_system: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export class TemplateDto extends createZodDto(templateSchema) {}
export class TemplateListDto extends createZodDto(z.object({ items: z.array(templateSchema) })) {}
