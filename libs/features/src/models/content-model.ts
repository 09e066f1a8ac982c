import { DomainError, itemCategory, itemTags, type Item } from '@lemo/domain';
import type { ContentEmbedder } from '../content-embedder';
import { l2NormalizeInPlace } from '../numeric/vector-math';
import type { UserItemMatrix } from '../similarity/user-item-matrix';
import { tokenize } from '../text/tokenizer';
import type { ImplicitModel, ImplicitTrainer, TrainingProgress, UserHistory } from './implicit-model';
import { numberParam } from './model-params';
import { TrainingPacer } from './training-pacer';

/** An item's text in the model's item index space: free text (title, description, ...) and curated labels (tags, category). */
export interface ItemText {
  text: string;
  tags: string[];
}

/**
 * Port for a dense text embedding (a sentence-embedding model, the hashed
 * ContentEmbedder, ...) to be used instead of TF-IDF: one row of `dimension`
 * floats per input, in input order. Rows need not be normalised.
 */
export interface ItemTextEmbedder {
  readonly dimension: number;
  embed(texts: readonly ItemText[]): Promise<Float32Array[]> | Float32Array[];
}

/** A catalogue item's title and description as text, its tags and category as labels. */
export function itemTextOf(item: Pick<Item, 'metadata'>, categoryField = 'category'): ItemText {
  const { title, description } = item.metadata;
  const text = [title, description].filter((field): field is string => typeof field === 'string').join('\n');
  const category = itemCategory(item, categoryField);
  const tags = itemTags(item);
  return { text, tags: category === undefined ? tags : [...tags, category] };
}

/** The hashed bag-of-words ContentEmbedder (the one recent_similar serves) behind the ItemTextEmbedder port. */
export function hashedItemTextEmbedder(embedder: ContentEmbedder): ItemTextEmbedder {
  return {
    dimension: embedder.dimension,
    embed: (texts) => texts.map((text) => embedder.embed({ metadata: { description: text.text, tags: text.tags } })),
  };
}

export interface ContentParams {
  /** Weight of a whole tag label relative to one word of free text (TF-IDF only). */
  tag_weight: number;
  /**
   * β of the score cosine × (n_i / n_max)^β, n_i = the item's interacting users.
   * 0 ranks by text alone; β > 0 prefers, among items on the user's topics, the
   * ones people actually engage with. Items nobody touched yet score 0 when
   * β > 0, so cold items need β = 0 (or another strategy) to surface.
   */
  popularity_prior: number;
}

/**
 * Tags are curated labels: they say more about the topic than a word of free text does.
 * β = 1 was chosen on a validation split carved from the ML-100K training part
 * (docs/evaluation.md): with only a title and a few genre labels per item, text
 * alone leaves hundreds of near-ties that popularity breaks (NDCG@10 0.069 at
 * β = 0, 0.165 at β = 1, 0.168 at β = 2 with a third less coverage; popular 0.159).
 */
export const DEFAULT_CONTENT_PARAMS: Readonly<ContentParams> = { tag_weight: 2, popularity_prior: 1 };

/** Long texts add little after the first few hundred words and would cost time. */
const MAX_TOKENS_PER_ITEM = 1000;
/** Whole-label tokens cannot collide with words, which never contain ':'. */
const TAG_PREFIX = 't:';

/**
 * Content-based recommendation: items are unit vectors (TF-IDF over their
 * text and tags by default, or rows of a plugged-in ItemTextEmbedder), a
 * user's profile is the weighted sum of the vectors of the history's items,
 * and an item's score is its cosine with the profile. Needs no co-occurrence
 * at all, so it also ranks items nobody has interacted with yet: the model
 * covers max(texts, matrix items) items, where texts[i] describes item index i.
 */
export class ContentTrainer implements ImplicitTrainer<ContentParams> {
  readonly algorithm = 'content';

  constructor(
    private readonly texts: readonly ItemText[],
    private readonly embedder?: ItemTextEmbedder,
  ) {}

  async train(matrix: UserItemMatrix, params: Partial<ContentParams>, onProgress?: TrainingProgress): Promise<ContentModel> {
    const tagWeight = numberParam(params, 'tag_weight', DEFAULT_CONTENT_PARAMS.tag_weight, 0, 1000);
    const popularityPrior = numberParam(params, 'popularity_prior', DEFAULT_CONTENT_PARAMS.popularity_prior, 0, 10);
    const items = Math.max(matrix.items, this.texts.length);
    const pacer = new TrainingPacer(onProgress);
    await pacer.report(0, 'vectors');
    const vectors = this.embedder
      ? await denseVectors(this.embedder, this.texts, items)
      : await tfIdfVectors(this.texts, items, tagWeight, pacer);
    await pacer.report(100, 'done');
    return new ContentModel(vectors, popularityPrior > 0 ? popularityWeights(matrix, items, popularityPrior) : undefined);
  }
}

/** (n_i / n_max)^β per item, n_i = the number of users with an entry for item i. */
function popularityWeights(matrix: UserItemMatrix, items: number, beta: number): Float32Array {
  const weights = new Float32Array(items);
  let most = 0;
  for (let i = 0; i < matrix.items; i++) most = Math.max(most, matrix.itemPtr[i + 1] - matrix.itemPtr[i]);
  if (most === 0) return weights.fill(1);
  for (let i = 0; i < matrix.items; i++) weights[i] = Math.pow((matrix.itemPtr[i + 1] - matrix.itemPtr[i]) / most, beta);
  return weights;
}

/** Unit item vectors, sparse or dense, and the two operations scoring needs. */
export interface ItemVectors {
  readonly items: number;
  readonly dimension: number;
  /** profile += weight × vector(item) */
  addTo(item: number, weight: number, profile: Float64Array): void;
  /** Zeroes the profile built from `items` (a sparse one only where their vectors are non-zero). */
  clearProfile(items: Int32Array, profile: Float64Array): void;
  /** out[i] = vector(i) · profile for every item. */
  dotAll(profile: Float64Array, out: Float32Array): void;
}

/** Item i's non-zero terms are terms/values[ptr[i] .. ptr[i+1]). */
export class SparseItemVectors implements ItemVectors {
  readonly items: number;

  constructor(
    readonly dimension: number,
    readonly ptr: Int32Array,
    readonly terms: Int32Array,
    readonly values: Float32Array,
  ) {
    this.items = ptr.length - 1;
  }

  addTo(item: number, weight: number, profile: Float64Array): void {
    for (let p = this.ptr[item]; p < this.ptr[item + 1]; p++) profile[this.terms[p]] += weight * this.values[p];
  }

  clearProfile(items: Int32Array, profile: Float64Array): void {
    for (let h = 0; h < items.length; h++) {
      const item = items[h];
      if (item < 0 || item >= this.items) continue;
      for (let p = this.ptr[item]; p < this.ptr[item + 1]; p++) profile[this.terms[p]] = 0;
    }
  }

  dotAll(profile: Float64Array, out: Float32Array): void {
    const { ptr, terms, values } = this;
    for (let i = 0; i < this.items; i++) {
      let sum = 0;
      for (let p = ptr[i]; p < ptr[i + 1]; p++) sum += values[p] * profile[terms[p]];
      out[i] = sum;
    }
  }
}

/** Row-major items × dimension. */
export class DenseItemVectors implements ItemVectors {
  constructor(
    readonly items: number,
    readonly dimension: number,
    readonly rows: Float32Array,
  ) {}

  addTo(item: number, weight: number, profile: Float64Array): void {
    const { dimension, rows } = this;
    const row = item * dimension;
    for (let d = 0; d < dimension; d++) profile[d] += weight * rows[row + d];
  }

  clearProfile(_items: Int32Array, profile: Float64Array): void {
    profile.fill(0);
  }

  dotAll(profile: Float64Array, out: Float32Array): void {
    const { dimension, rows } = this;
    for (let i = 0; i < this.items; i++) {
      const row = i * dimension;
      let sum = 0;
      for (let d = 0; d < dimension; d++) sum += rows[row + d] * profile[d];
      out[i] = sum;
    }
  }
}

/**
 * TF-IDF with sublinear term frequency and smoothed idf (as scikit-learn's
 * defaults): tf = field weight × (1 + ln count), idf = 1 + ln((1 + N) / (1 + df)),
 * each item vector L2-normalised. Rare shared terms therefore weigh far more
 * than words every item has. Tags add their words as text and the whole
 * label as one token, so a multi-word label matches exactly.
 */
async function tfIdfVectors(texts: readonly ItemText[], items: number, tagWeight: number, pacer: TrainingPacer): Promise<SparseItemVectors> {
  const vocabulary = new Map<string, number>();
  const documentFrequency: number[] = [];
  /** Field weight of each term: tagWeight for whole labels, 1 for words. */
  const termWeight: number[] = [];
  const ptr = new Int32Array(items + 1);
  const terms: number[] = [];
  const values: number[] = [];
  const counts = new Map<number, number>();
  const tokens: string[] = [];
  for (let item = 0; item < items; item++) {
    const text = texts[item];
    counts.clear();
    if (text) {
      tokens.length = 0;
      tokenize(text.text, tokens);
      for (const tag of text.tags) tokenize(tag, tokens);
      const end = Math.min(tokens.length, MAX_TOKENS_PER_ITEM);
      for (let t = 0; t < end; t++) countTerm(vocabulary, documentFrequency, termWeight, counts, tokens[t], 1);
      for (const tag of text.tags) {
        const label = tag.trim().toLowerCase();
        if (label.length > 0 && tagWeight > 0) countTerm(vocabulary, documentFrequency, termWeight, counts, TAG_PREFIX + label, tagWeight);
      }
    }
    for (const [term, count] of counts) {
      documentFrequency[term]++;
      terms.push(term);
      values.push(termWeight[term] * (1 + Math.log(count)));
    }
    ptr[item + 1] = terms.length;
    await pacer.checkpoint((90 * (item + 1)) / items, 'vectors');
  }
  const idf = new Float64Array(vocabulary.size);
  for (let term = 0; term < idf.length; term++) idf[term] = 1 + Math.log((1 + items) / (1 + documentFrequency[term]));
  const termArray = Int32Array.from(terms);
  const valueArray = Float32Array.from(values);
  for (let item = 0; item < items; item++) {
    let norm2 = 0;
    for (let p = ptr[item]; p < ptr[item + 1]; p++) {
      valueArray[p] *= idf[termArray[p]];
      norm2 += valueArray[p] * valueArray[p];
    }
    const inverse = norm2 > 0 ? 1 / Math.sqrt(norm2) : 0;
    for (let p = ptr[item]; p < ptr[item + 1]; p++) valueArray[p] *= inverse;
  }
  return new SparseItemVectors(vocabulary.size, ptr, termArray, valueArray);
}

/** Counts one occurrence of `token` in this item, interning it (with its field weight) on first sight. */
function countTerm(
  vocabulary: Map<string, number>,
  documentFrequency: number[],
  termWeight: number[],
  counts: Map<number, number>,
  token: string,
  weight: number,
): void {
  let term = vocabulary.get(token);
  if (term === undefined) {
    term = vocabulary.size;
    vocabulary.set(token, term);
    documentFrequency.push(0);
    termWeight.push(weight);
  }
  counts.set(term, (counts.get(term) ?? 0) + 1);
}

async function denseVectors(embedder: ItemTextEmbedder, texts: readonly ItemText[], items: number): Promise<DenseItemVectors> {
  const { dimension } = embedder;
  const embedded = await embedder.embed(texts);
  if (embedded.length !== texts.length) {
    throw new DomainError('INTERNAL', `item text embedder returned ${embedded.length} rows for ${texts.length} texts`);
  }
  const rows = new Float32Array(items * dimension);
  embedded.forEach((row, item) => {
    if (row.length !== dimension) throw new DomainError('INTERNAL', `item text embedder returned a row of ${row.length} values, expected ${dimension}`);
    rows.set(row, item * dimension);
    l2NormalizeInPlace(rows.subarray(item * dimension, (item + 1) * dimension));
  });
  return new DenseItemVectors(items, dimension, rows);
}

export class ContentModel implements ImplicitModel {
  readonly algorithm = 'content';
  readonly items: number;
  /** Scratch profile, all zeros between calls (scoring is synchronous, so calls never interleave). */
  private readonly profile: Float64Array;

  constructor(
    readonly vectors: ItemVectors,
    /** Per-item multipliers of the cosine (the popularity prior); none = text alone. */
    readonly itemWeights?: Float32Array,
  ) {
    this.items = vectors.items;
    this.profile = new Float64Array(vectors.dimension);
  }

  scoreUser(_user: number, history: UserHistory, out: Float32Array): void {
    const { profile, vectors } = this;
    for (let h = 0; h < history.items.length; h++) {
      const item = history.items[h];
      if (item >= 0 && item < this.items) vectors.addTo(item, history.weights[h], profile);
    }
    let norm2 = 0;
    for (let d = 0; d < profile.length; d++) norm2 += profile[d] * profile[d];
    if (norm2 > 0) {
      vectors.dotAll(profile, out);
      const inverse = 1 / Math.sqrt(norm2);
      const weights = this.itemWeights;
      if (weights) for (let i = 0; i < this.items; i++) out[i] *= inverse * weights[i];
      else for (let i = 0; i < this.items; i++) out[i] *= inverse;
    } else {
      out.fill(0, 0, this.items);
    }
    vectors.clearProfile(history.items, profile);
  }
}
