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

/** Built once per template: consumers ask for the tenant of every message. (No `g` flag, so one instance is safe to share.) */
const patterns = new Map<string, RegExp>();

/** Regex matching every tenant's topic of a template, capturing the tenant id. */
export function topicPattern(template: string): RegExp {
  let pattern = patterns.get(template);
  if (!pattern) {
    const [before, after] = template.split('{tenant_id}').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    pattern = new RegExp(`^${before}([a-z0-9][a-z0-9_-]*)${after ?? ''}$`);
    patterns.set(template, pattern);
  }
  return pattern;
}

/**
 * The dead letters of a topic: its name + `.dlq` (`item-events-acme.dlq`). A suffix after a '.',
 * which tenant ids never contain, keeps it out of `topicPattern` of the source template, so a
 * consumer never reads its own dead letters as a tenant's events, and no tenant's topic can be
 * another tenant's dead letters (`item-events-dlq-acme` would be tenant `dlq-acme`'s item topic).
 */
export const deadLetterTopicOf = (topic: string): string => `${topic}.dlq`;

/** The per-message results of a topic's consumer: its name + `.results` (outside `topicPattern`, like the dead letters). */
export const resultsTopicOf = (topic: string): string => `${topic}.results`;

/** The tenant a topic of `template` belongs to, or null when the topic is not one of the template's. */
export function tenantOfTopic(template: string, topic: string): string | null {
  return topicPattern(template).exec(topic)?.[1] ?? null;
}
