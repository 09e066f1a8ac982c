import { hashString } from '@lemo/features';
import type { DenseFieldName, FeatureSchema, SparseFieldName } from './feature-schema';
import type { RankingExample } from './ranking-example';

const DAY_MS = 24 * 3600 * 1000;

/** Row-major batch: `indices` is rows × slotCount global vocabulary ids, `dense` rows × denseSize. */
export interface EncodedBatch {
  rows: number;
  indices: Int32Array;
  dense: Float32Array;
}

type RawValue = string | number | undefined;

function sparseValues(name: SparseFieldName, { user, item, moment }: RankingExample): RawValue[] {
  switch (name) {
    case 'user_id':
      return [user.userId ?? undefined];
    case 'item_id':
      return [item.itemId];
    case 'item_category':
      return [item.category];
    case 'item_tag':
      return item.tags ?? [];
    case 'device':
      return [moment.deviceType];
    case 'hour_of_day':
      return [new Date(moment.timestamp).getUTCHours()];
    case 'day_of_week':
      return [new Date(moment.timestamp).getUTCDay()];
    case 'user_top_category':
      return [user.topCategory];
    case 'user_category_x_item_category':
      return [user.topCategory !== undefined && item.category !== undefined ? `${user.topCategory}\u0000${item.category}` : undefined];
  }
}

/** Squashes a non-negative count into [0, 1]; the scale is the training window's maximum. */
const logScale = (value: number, scale: number): number => Math.min(1, Math.log1p(Math.max(0, value)) / Math.log1p(Math.max(1, scale)));

function denseValue(name: DenseFieldName, { user, item, moment }: RankingExample, scales: FeatureSchema['scales']): number {
  switch (name) {
    case 'item_popularity':
      return logScale(item.popularity ?? 0, scales.popularity);
    case 'item_age':
      // Unknown publish time reads as "old" rather than "brand new": no freshness bonus by accident.
      return item.publishedAt === undefined ? 1 : logScale((moment.timestamp - item.publishedAt) / DAY_MS, scales.ageDays);
    case 'user_activity':
      return logScale(user.activity ?? 0, scales.activity);
  }
}

/**
 * Turns examples into the integer ids and numbers the models read. Each
 * sparse field owns a block [offset, offset + buckets) of one vocabulary, so
 * every model needs a single embedding table; bucket 0 of a block is "missing".
 * Pure and deterministic: the same example gives the same row in every process.
 */
export class FeatureEncoder {
  readonly slotCount: number;
  readonly vocabularySize: number;
  readonly denseSize: number;
  private readonly offsets: number[];

  constructor(readonly schema: FeatureSchema) {
    this.offsets = [];
    let offset = 0;
    for (const field of schema.sparse) {
      this.offsets.push(offset);
      offset += field.buckets;
    }
    this.vocabularySize = offset;
    this.slotCount = schema.sparse.reduce((n, f) => n + f.slots, 0);
    this.denseSize = schema.dense.length;
  }

  encode(examples: readonly RankingExample[]): EncodedBatch {
    const rows = examples.length;
    const indices = new Int32Array(rows * this.slotCount);
    const dense = new Float32Array(rows * this.denseSize);
    examples.forEach((example, row) => {
      let slot = row * this.slotCount;
      this.schema.sparse.forEach((field, f) => {
        const values = sparseValues(field.name, example);
        for (let s = 0; s < field.slots; s++) indices[slot++] = this.offsets[f] + this.bucket(field.name, field.buckets, values[s]);
      });
      this.schema.dense.forEach((name, d) => {
        dense[row * this.denseSize + d] = denseValue(name, example, this.schema.scales);
      });
    });
    return { rows, indices, dense };
  }

  private bucket(name: SparseFieldName, buckets: number, value: RawValue): number {
    if (value === undefined || value === '') return 0;
    if (typeof value === 'number') return 1 + (Math.abs(Math.trunc(value)) % (buckets - 1));
    return 1 + (hashString(`${name}=${value}`) % (buckets - 1));
  }
}
