import { deadLetterTopicOf, resultsTopicOf, tenantOfTopic, topicPattern } from '@lemo/domain';
import { inMessageTerms, itemCount, readItemEvent } from './item-event-message';

const TEMPLATE = 'item-events-{tenant_id}';

describe('item-event messages', () => {
  it('reads a batch create as the REST batch body, leaving each item to the use case', () => {
    const read = readItemEvent({ operation: 'create', scenario_id: 'shop', items: [{ item_id: 'a' }, { nonsense: true }] }, 'acme');
    expect(read).toEqual({ ok: true, event: { operation: 'create', scenario_id: 'shop', single: false, items: [{ item_id: 'a' }, { nonsense: true }] } });
  });

  it('turns a single item into a batch of one, remembering that it was single', () => {
    const read = readItemEvent(
      { operation: 'update', scenario_id: 'shop', tenant_id: 'acme', event_id: 'e1', item: { item_id: 'a', metadata: { price: 3 } } },
      'acme',
    );
    expect(read).toEqual({
      ok: true,
      event: {
        operation: 'update',
        scenario_id: 'shop',
        tenant_id: 'acme',
        event_id: 'e1',
        single: true,
        mode: 'merge',
        items: [{ item_id: 'a', metadata: { price: 3 } }],
      },
    });
    const replace = readItemEvent({ operation: 'update', scenario_id: 'shop', mode: 'replace', items: [{ item_id: 'a' }] }, 'acme');
    expect(replace.ok && replace.event.operation === 'update' && replace.event.mode).toBe('replace');
  });

  it('reads deletes: soft by default, hard when asked, one id or many', () => {
    expect(readItemEvent({ operation: 'delete', scenario_id: 'shop', item_id: 'a' }, 'acme')).toEqual({
      ok: true,
      event: { operation: 'delete', scenario_id: 'shop', single: true, item_ids: ['a'], hard: false },
    });
    const hard = readItemEvent({ operation: 'delete', scenario_id: 'shop', item_ids: ['a', 'b'], hard: true }, 'acme');
    expect(hard.ok && hard.event).toEqual({ operation: 'delete', scenario_id: 'shop', single: false, item_ids: ['a', 'b'], hard: true });
    expect(hard.ok && itemCount(hard.event)).toBe(2);
  });

  it.each([
    ['text that is not JSON', 'not json {', /^\(message\): must be a JSON object, got text/],
    ['an array', [{ operation: 'create' }], /^\(message\): must be a JSON object, got an array/],
    ['null', null, /got null/],
    ['an unknown operation', { operation: 'upsert', scenario_id: 'shop', items: [{}] }, /^operation: operation must be one of create, update, delete/],
    ['no scenario', { operation: 'create', items: [{ item_id: 'a' }] }, /^scenario_id: /],
    ['neither item nor items', { operation: 'create', scenario_id: 'shop' }, /^items: give either item or items, not neither/],
    ['both item and items', { operation: 'create', scenario_id: 'shop', item: {}, items: [{}] }, /^item: give either item or items, not both/],
    ['an empty batch', { operation: 'create', scenario_id: 'shop', items: [] }, /^items: items must not be empty/],
    [
      'more than 1,000 items',
      { operation: 'create', scenario_id: 'shop', items: Array.from({ length: 1001 }, () => ({})) },
      /^items: at most 1000 items per message/,
    ],
    ['a delete without ids', { operation: 'delete', scenario_id: 'shop', hard: true }, /^item_ids: give either item_id or item_ids/],
    ['a bad item id in a delete', { operation: 'delete', scenario_id: 'shop', item_ids: ['ok', 'not ok!'] }, /^item_ids\.1: item_id may contain only/],
    ['a hard flag that is not a boolean', { operation: 'delete', scenario_id: 'shop', item_id: 'a', hard: 'yes' }, /^hard: /],
    ['an unknown field', { operation: 'create', scenario_id: 'shop', items: [{}], priority: 1 }, /^priority: unknown field/],
    ['a mode on a create', { operation: 'create', scenario_id: 'shop', items: [{}], mode: 'merge' }, /^mode: unknown field/],
  ])('refuses %s as invalid_message, naming the field', (_case, value, error) => {
    const read = readItemEvent(value, 'acme');
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.reason).toBe('invalid_message');
    expect(read.error).toMatch(error);
  });

  it('refuses a body that names another tenant than the topic, before anything else is checked', () => {
    expect(readItemEvent({ operation: 'create', scenario_id: 'shop', tenant_id: 'globex', items: [{ item_id: 'a' }] }, 'acme')).toEqual({
      ok: false,
      reason: 'tenant_mismatch',
      error: `tenant_id: "globex" is not the tenant of the topic ('acme')`,
    });
    const invalidToo = readItemEvent({ operation: 'nonsense', tenant_id: 'globex' }, 'acme');
    expect(!invalidToo.ok && invalidToo.reason).toBe('tenant_mismatch');
    const notAString = readItemEvent({ operation: 'create', scenario_id: 'shop', tenant_id: 7, items: [{}] }, 'acme');
    expect(!notAString.ok && notAString.reason).toBe('tenant_mismatch');
  });

  it('names the single item as `item` in per-item errors, the batch ones by index', () => {
    expect(inMessageTerms('items.0.metadata.price: price must be a non-negative number; items.0: unknown field', true)).toBe(
      'item.metadata.price: price must be a non-negative number; item: unknown field',
    );
    expect(inMessageTerms('items.0.metadata.price: bad', false)).toBe('items.0.metadata.price: bad');
    expect(inMessageTerms('items.0.item_id: item "items.0.x" not found', true)).toBe('item.item_id: item "items.0.x" not found');
  });
});

describe('item-event topics', () => {
  it('reads the tenant from the topic name', () => {
    expect(tenantOfTopic(TEMPLATE, 'item-events-acme')).toBe('acme');
    expect(tenantOfTopic(TEMPLATE, 'item-events-dlq-acme')).toBe('dlq-acme');
    expect(tenantOfTopic(TEMPLATE, 'user-behaviors-acme')).toBeNull();
    expect(tenantOfTopic('{tenant_id}.items', 'acme.items')).toBe('acme');
  });

  it.each([TEMPLATE, '{tenant_id}.items', 'lemo.{tenant_id}'])(
    'keeps dead letters and results of %s out of the pattern the consumer subscribes to',
    (template) => {
      const topic = template.replace('{tenant_id}', 'acme');
      const pattern = topicPattern(template);
      expect(pattern.test(topic)).toBe(true);
      expect(deadLetterTopicOf(topic)).toBe(`${topic}.dlq`);
      expect(pattern.test(deadLetterTopicOf(topic))).toBe(false);
      expect(pattern.test(resultsTopicOf(topic))).toBe(false);
    },
  );
});
