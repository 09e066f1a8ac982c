import type { Condition } from '@lemo/domain';
import { testItem } from '../testing';
import { fieldValue, matchesCondition } from './condition';

const item = testItem('sku-1', {
  category: 'shoes',
  brand: 'Acme',
  price: 59.5,
  tags: ['Sale', 'running'],
  specs: { color: 'red', sizes: [40, 41] },
  publish_time: '2026-01-10T00:00:00.000Z',
});
const matches = (field: string, op: Condition['op'], value: unknown) => matchesCondition(item, { field, op, value });

describe('fieldValue', () => {
  it('reads item_id, status and dotted metadata paths, with or without the metadata prefix', () => {
    expect(fieldValue(item, 'item_id')).toBe('sku-1');
    expect(fieldValue(item, 'status')).toBe('active');
    expect(fieldValue(item, 'specs.color')).toBe('red');
    expect(fieldValue(item, 'metadata.specs.color')).toBe('red');
    expect(fieldValue(item, 'specs.missing.deeper')).toBeUndefined();
    expect(fieldValue(item, 'constructor')).toBeUndefined();
    expect(fieldValue(item, 'tags.length')).toBeUndefined();
  });
});

describe('matchesCondition', () => {
  it('eq / ne compare strictly; a missing field is never equal', () => {
    expect(matches('category', 'eq', 'shoes')).toBe(true);
    expect(matches('category', 'eq', 'Shoes')).toBe(false);
    expect(matches('price', 'eq', '59.5')).toBe(false);
    expect(matches('specs.sizes', 'eq', [40, 41])).toBe(true);
    expect(matches('status', 'eq', 'active')).toBe(true);
    expect(matches('nope', 'eq', undefined)).toBe(false);
    expect(matches('category', 'ne', 'hats')).toBe(true);
    expect(matches('category', 'ne', 'shoes')).toBe(false);
    expect(matches('nope', 'ne', 'x')).toBe(true);
  });

  it('in / nin test list membership, any element for array fields', () => {
    expect(matches('brand', 'in', ['Acme', 'Other'])).toBe(true);
    expect(matches('brand', 'in', ['Other'])).toBe(false);
    expect(matches('item_id', 'in', ['sku-1'])).toBe(true);
    expect(matches('tags', 'in', ['running'])).toBe(true);
    expect(matches('brand', 'in', 'Acme')).toBe(false);
    expect(matches('brand', 'nin', ['Other'])).toBe(true);
    expect(matches('brand', 'nin', ['Acme'])).toBe(false);
    expect(matches('nope', 'nin', ['x'])).toBe(true);
  });

  it('gt / gte / lt / lte compare numbers, strings and dates; other mixes never match', () => {
    expect(matches('price', 'gt', 50)).toBe(true);
    expect(matches('price', 'gt', 59.5)).toBe(false);
    expect(matches('price', 'gte', 59.5)).toBe(true);
    expect(matches('price', 'lt', 60)).toBe(true);
    expect(matches('price', 'lte', 59)).toBe(false);
    expect(matches('brand', 'lt', 'B')).toBe(true);
    expect(matches('publish_time', 'gte', Date.UTC(2026, 0, 1))).toBe(true);
    expect(matches('publish_time', 'lt', Date.UTC(2026, 0, 1))).toBe(false);
    expect(matches('price', 'lt', 'cheap')).toBe(false);
    expect(matches('price', 'gte', 'cheap')).toBe(false);
    expect(matches('tags', 'gt', 1)).toBe(false);
    expect(matches('nope', 'lte', 1)).toBe(false);
  });

  it('contains: case-insensitive substring of strings, element of arrays', () => {
    expect(matches('brand', 'contains', 'acm')).toBe(true);
    expect(matches('tags', 'contains', 'sale')).toBe(true);
    expect(matches('tags', 'contains', 'sal')).toBe(false);
    expect(matches('specs.sizes', 'contains', 41)).toBe(true);
    expect(matches('price', 'contains', 5)).toBe(false);
  });
});
