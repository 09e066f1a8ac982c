/** Topic templates operators know; `{tenant_id}` is replaced per tenant. */
export interface TopicTemplates {
  behaviors: string;
  items: string;
}

export const DEFAULT_TOPIC_TEMPLATES: TopicTemplates = {
  behaviors: 'user-behaviors-{tenant_id}',
  items: 'item-events-{tenant_id}',
};

export const topicFor = (template: string, tenantId: string): string => template.replace('{tenant_id}', tenantId);

/** Regex matching every tenant's topic of a template, capturing the tenant id. */
export function topicPattern(template: string): RegExp {
  const [before, after] = template.split('{tenant_id}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${before}([a-z0-9][a-z0-9_-]*)${after ?? ''}$`);
}
