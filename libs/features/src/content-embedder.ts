import { itemCategory, itemTags, type Item } from '@lemo/domain';
import { hashString } from './numeric/hashing';
import { l2NormalizeInPlace } from './numeric/vector-math';
import { tokenize } from './text/tokenizer';

export interface ContentFieldWeights {
  title: number;
  description: number;
  tags: number;
  category: number;
}

export interface ContentEmbedderOptions {
  /** Metadata key holding the category; `category` by default. */
  categoryField?: string;
  weights?: Partial<ContentFieldWeights>;
}

/** Tags and category are curated labels: they say more about the topic than free text does. */
export const DEFAULT_CONTENT_FIELD_WEIGHTS: Readonly<ContentFieldWeights> = { title: 2, description: 1, tags: 3, category: 3 };

/** Seed of the second hash that picks each token's sign (+1 / -1). */
const SIGN_SEED = 0x9e3779b9;
/** Long descriptions add little after the first few hundred words and would cost time. */
const MAX_TOKENS_PER_FIELD = 512;

/**
 * Hashed bag-of-words content embedding (the "hashing trick"): each token goes
 * to bucket hash(token) mod dimension with a ±1 sign from a second hash, so
 * collisions cancel out in expectation instead of piling up. Each field adds
 * weight × (1 + ln tf) per distinct token; tags and the category also add one
 * whole-label token (`t:`/`c:` prefixed) so multi-word labels match exactly.
 * The result is L2-normalised (cosine = dot product) and fully deterministic;
 * an item with no text at all gets the all-zero vector.
 */
export class ContentEmbedder {
  private readonly weights: ContentFieldWeights;
  private readonly categoryField: string;

  constructor(
    readonly dimension: number,
    options: ContentEmbedderOptions = {},
  ) {
    if (!Number.isInteger(dimension) || dimension < 2) throw new RangeError(`embedding dimension must be an integer >= 2, got ${dimension}`);
    this.weights = { ...DEFAULT_CONTENT_FIELD_WEIGHTS, ...options.weights };
    this.categoryField = options.categoryField ?? 'category';
  }

  embed(item: Pick<Item, 'metadata'>): Float32Array {
    const vector = new Float32Array(this.dimension);
    const { title, description } = item.metadata;
    if (typeof title === 'string') this.addField(vector, tokenize(title), this.weights.title);
    if (typeof description === 'string') this.addField(vector, tokenize(description), this.weights.description);
    this.addField(vector, labelTokens(itemTags(item), 't:'), this.weights.tags);
    const category = itemCategory(item, this.categoryField);
    if (category !== undefined) this.addField(vector, labelTokens([category], 'c:'), this.weights.category);
    return l2NormalizeInPlace(vector);
  }

  private addField(vector: Float32Array, tokens: readonly string[], weight: number): void {
    if (tokens.length === 0 || weight <= 0) return;
    const counts = new Map<string, number>();
    const end = Math.min(tokens.length, MAX_TOKENS_PER_FIELD);
    for (let i = 0; i < end; i++) counts.set(tokens[i], (counts.get(tokens[i]) ?? 0) + 1);
    for (const [token, tf] of counts) {
      const bucket = hashString(token) % this.dimension;
      const sign = hashString(token, SIGN_SEED) & 1 ? 1 : -1;
      vector[bucket] += sign * weight * (1 + Math.log(tf));
    }
  }
}

/** A label's words plus the whole normalised label as one prefixed token. */
function labelTokens(labels: readonly string[], prefix: string): string[] {
  const tokens: string[] = [];
  for (const label of labels) {
    const whole = label.trim().toLowerCase();
    if (whole.length === 0) continue;
    tokens.push(prefix + whole);
    tokenize(whole, tokens);
  }
  return tokens;
}
