/** Categorical fields, each hashed into its own block of the shared embedding vocabulary. */
export const SPARSE_FIELD_NAMES = [
  'user_id',
  'item_id',
  'item_category',
  'item_tag',
  'device',
  'hour_of_day',
  'day_of_week',
  'user_top_category',
  'user_category_x_item_category',
] as const;
export type SparseFieldName = (typeof SPARSE_FIELD_NAMES)[number];

/** Numeric fields, each squashed into [0, 1] by a log scale fitted on the training window. */
export const DENSE_FIELD_NAMES = ['item_popularity', 'item_age', 'user_activity'] as const;
export type DenseFieldName = (typeof DENSE_FIELD_NAMES)[number];

export interface SparseField {
  name: SparseFieldName;
  /** Bucket 0 means "missing"; values hash into 1..buckets-1 (numbers index directly). */
  buckets: number;
  /** Values read per example: item_tag keeps the first `slots` tags, the others one. */
  slots: number;
}

/**
 * Everything the encoder needs, stored in the model artifact: training and
 * serving must encode identically, so serving never rebuilds it.
 */
export interface FeatureSchema {
  version: 1;
  sparse: SparseField[];
  dense: DenseFieldName[];
  /** log1p(x) / log1p(scale), capped at 1; fitted on the training window. */
  scales: { popularity: number; activity: number; ageDays: number };
}

const DEFAULT_BUCKETS: Record<SparseFieldName, number> = {
  user_id: 20_000,
  item_id: 20_000,
  item_category: 1_000,
  item_tag: 5_000,
  device: 8,
  hour_of_day: 25,
  day_of_week: 8,
  user_top_category: 1_000,
  user_category_x_item_category: 10_000,
};

export const DEFAULT_TAG_SLOTS = 3;

/** The full schema, or a subset of its fields (e.g. without the cross field for an ablation); bucket counts overridable (small tenants, tests). */
export function defaultFeatureSchema(fields: readonly SparseFieldName[] = SPARSE_FIELD_NAMES, buckets: Partial<Record<SparseFieldName, number>> = {}): FeatureSchema {
  return {
    version: 1,
    sparse: fields.map((name) => ({ name, buckets: buckets[name] ?? DEFAULT_BUCKETS[name], slots: name === 'item_tag' ? DEFAULT_TAG_SLOTS : 1 })),
    dense: [...DENSE_FIELD_NAMES],
    scales: { popularity: 1, activity: 1, ageDays: 3650 },
  };
}
