import { DomainError } from '../errors/domain-error';

/** A metadata key that can be counted: a plain identifier, so adapters can name it in a JSON path or a projection safely. */
export const METADATA_FIELD_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The values a distribution counts: scalars, and the scalar elements of an array. */
export type MetadataValue = string | number | boolean;

export interface MetadataValueCount {
  value: MetadataValue;
  /** Items whose field is this value, or an array holding it (an item counts once per distinct value). */
  items: number;
}

export interface MetadataValueCounts {
  /** Items of the scenario counted (every status but deleted). */
  items: number;
  /** Items with at least one countable value in the field. */
  items_with_value: number;
  /** Most items first; ties by type (boolean, number, string), then value ascending. */
  values: MetadataValueCount[];
}

export interface MetadataValueOptions {
  /** Numbers count per bucket [k·w, (k+1)·w), reported by the bucket's lower bound (a positive finite width). */
  bucketWidth?: number;
}

export function checkMetadataField(field: string): void {
  if (!METADATA_FIELD_PATTERN.test(field)) {
    throw DomainError.invalid('field', 'must be a metadata key: a letter or _, then letters, digits or _ (at most 64), e.g. category, tags, author, price');
  }
}

const TYPE_ORDER: Record<string, number> = { boolean: 0, number: 1, string: 2 };

/**
 * Counts items per value of one metadata field, the same way in every adapter:
 * adapters read each item's raw field value and hand it to `add`. Strings,
 * finite numbers and booleans count as they are; an array counts each of its
 * distinct scalar elements; null, objects and absent fields count as no value.
 * `1` and `"1"` are two values.
 */
export class MetadataValueTally {
  private items = 0;
  private withValue = 0;
  private readonly counts = new Map<string, MetadataValueCount>();
  private readonly bucketWidth: number | undefined;

  constructor(options: MetadataValueOptions = {}) {
    const width = options.bucketWidth;
    if (width !== undefined && !(Number.isFinite(width) && width > 0)) throw DomainError.invalid('bucket_width', 'must be a positive number');
    this.bucketWidth = width;
  }

  add(raw: unknown): void {
    this.items += 1;
    const values = new Map<string, MetadataValue>();
    for (const element of Array.isArray(raw) ? raw : [raw]) {
      const value = typeof element === 'number' ? this.bucketOf(element) : element;
      if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
        values.set(`${typeof value}:${String(value)}`, value);
    }
    if (values.size > 0) this.withValue += 1;
    for (const [key, value] of values) {
      const count = this.counts.get(key);
      if (count) count.items += 1;
      else this.counts.set(key, { value, items: 1 });
    }
  }

  /** Rounded to 12 significant digits, so that 0.1-wide buckets read 0.3 rather than 0.30000000000000004. */
  private bucketOf(value: number): number {
    const width = this.bucketWidth;
    return width === undefined || !Number.isFinite(value) ? value : Number((Math.floor(value / width) * width).toPrecision(12));
  }

  result(): MetadataValueCounts {
    const values = [...this.counts.values()].sort(
      (a, b) =>
        b.items - a.items ||
        TYPE_ORDER[typeof a.value] - TYPE_ORDER[typeof b.value] ||
        (typeof a.value === 'number' && typeof b.value === 'number'
          ? a.value - b.value
          : String(a.value) < String(b.value)
            ? -1
            : String(a.value) > String(b.value)
              ? 1
              : 0),
    );
    return { items: this.items, items_with_value: this.withValue, values };
  }
}
