import { z } from 'zod';
import type { FieldIssue } from '../errors/domain-error';
import { ACTION_TYPE_NAMES } from '../behavior/action-type';
import type { ScenarioType } from '../scenarios/scenario';

/** A rule for one field of an event's `scenario_data` (dotted path inside it, e.g. `video_data.watch_duration`). */
export const fieldRuleSchema = z
  .object({
    field: z.string().min(1).max(128),
    type: z.enum(['string', 'number', 'integer', 'boolean', 'array', 'object']),
    required: z.boolean().default(false),
    min: z.number().optional(),
    max: z.number().optional(),
    min_length: z.number().int().nonnegative().optional(),
    max_length: z.number().int().nonnegative().optional(),
    pattern: z
      .string()
      .max(512)
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'pattern must be a valid regular expression')
      .optional(),
    enum: z.array(z.union([z.string(), z.number()])).max(1000).optional(),
  })
  .strict();
export type FieldRule = z.infer<typeof fieldRuleSchema>;

export const trackingSchemaBodySchema = z
  .object({
    /** Actions this scenario accepts; empty means all 28. */
    allowed_actions: z.array(z.enum(ACTION_TYPE_NAMES)).default([]),
    fields: z.array(fieldRuleSchema).max(200).default([]),
    /** reject: events that break a rule are refused; warn: accepted, and the issues are reported. */
    mode: z.enum(['reject', 'warn']).default('reject'),
  })
  .strict();
export type TrackingSchemaBody = z.infer<typeof trackingSchemaBodySchema>;

export interface TrackingSchema extends TrackingSchemaBody {
  tenant_id: string;
  scenario_id: string;
  updated_at: string;
}

function valueAt(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), source);
}

function typeMatches(value: unknown, type: FieldRule['type']): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}

/** Checks an event's action and scenario_data against a tracking schema. */
export function checkAgainstTrackingSchema(schema: TrackingSchemaBody, event: { action_type: string; scenario_data?: unknown }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (schema.allowed_actions.length && !schema.allowed_actions.includes(event.action_type as never)) {
    issues.push({ field: 'action_type', message: `action '${event.action_type}' is not accepted by this scenario's tracking schema` });
  }
  for (const rule of schema.fields) {
    const field = `scenario_data.${rule.field}`;
    const value = valueAt(event.scenario_data, rule.field);
    if (value === undefined || value === null) {
      if (rule.required) issues.push({ field, message: 'is required' });
      continue;
    }
    if (!typeMatches(value, rule.type)) {
      issues.push({ field, message: `must be of type ${rule.type}` });
      continue;
    }
    if (typeof value === 'number') {
      if (rule.min !== undefined && value < rule.min) issues.push({ field, message: `must be >= ${rule.min}` });
      if (rule.max !== undefined && value > rule.max) issues.push({ field, message: `must be <= ${rule.max}` });
    }
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined;
    if (length !== undefined) {
      if (rule.min_length !== undefined && length < rule.min_length) issues.push({ field, message: `length must be >= ${rule.min_length}` });
      if (rule.max_length !== undefined && length > rule.max_length) issues.push({ field, message: `length must be <= ${rule.max_length}` });
    }
    if (rule.pattern && typeof value === 'string' && !new RegExp(rule.pattern).test(value)) issues.push({ field, message: `must match ${rule.pattern}` });
    if (rule.enum && !rule.enum.includes(value as string | number)) issues.push({ field, message: `must be one of ${rule.enum.join(', ')}` });
  }
  return issues;
}

/** Built-in tracking schema templates per scenario type. */
export const TRACKING_SCHEMA_TEMPLATES: Partial<Record<ScenarioType, TrackingSchemaBody>> = {
  vlog: {
    mode: 'reject',
    allowed_actions: [],
    fields: [
      { field: 'video_data.duration', type: 'integer', required: false, min: 0, max: 86_400 },
      { field: 'video_data.watch_duration', type: 'integer', required: false, min: 0, max: 86_400 },
      { field: 'video_data.completion_rate', type: 'number', required: false, min: 0, max: 1 },
    ],
  },
  ecommerce: {
    mode: 'reject',
    allowed_actions: [],
    fields: [
      { field: 'ecommerce_data.price', type: 'number', required: false, min: 0 },
      { field: 'ecommerce_data.quantity', type: 'integer', required: false, min: 1, max: 10_000 },
      { field: 'ecommerce_data.currency', type: 'string', required: false, pattern: '^[A-Z]{3}$' },
    ],
  },
  news: {
    mode: 'reject',
    allowed_actions: [],
    fields: [
      { field: 'news_data.read_duration', type: 'integer', required: false, min: 0, max: 86_400 },
      { field: 'news_data.read_progress', type: 'number', required: false, min: 0, max: 1 },
    ],
  },
  music: {
    mode: 'reject',
    allowed_actions: [],
    fields: [
      { field: 'music_data.duration', type: 'integer', required: false, min: 0, max: 86_400 },
      { field: 'music_data.play_duration', type: 'integer', required: false, min: 0, max: 86_400 },
    ],
  },
  education: {
    mode: 'reject',
    allowed_actions: [],
    fields: [
      { field: 'education_data.progress', type: 'number', required: false, min: 0, max: 1 },
      { field: 'education_data.score', type: 'number', required: false, min: 0, max: 100 },
    ],
  },
};
