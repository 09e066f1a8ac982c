import { InteractionLog } from '../similarity/interaction-log';
import { buildUserItemMatrix } from '../similarity/user-item-matrix';
import { ContentEmbedder } from '../content-embedder';
import { ContentTrainer, hashedItemTextEmbedder, itemTextOf, SparseItemVectors, type ItemText, type ItemTextEmbedder } from './content-model';
import { history, topItems } from './testing/planted-clusters';

/** A matrix that knows `items` items and no interactions: content needs none. */
const emptyMatrix = (items: number) => buildUserItemMatrix(new InteractionLog(), 0, items, 10);

describe('ContentTrainer (TF-IDF)', () => {
  // "complete" and "guide" are on nine items of ten; "harpsichord" on two.
  const texts: ItemText[] = [
    { text: 'Complete harpsichord guide', tags: [] },
    { text: 'Baroque harpsichord recital', tags: [] },
    ...['cooking', 'gardening', 'travel', 'running', 'chess', 'sailing', 'knitting', 'camping'].map((topic) => ({ text: `Complete ${topic} guide`, tags: [] })),
  ];

  it('ranks an item sharing a rare term above one sharing only common terms', async () => {
    const model = await new ContentTrainer(texts).train(emptyMatrix(texts.length), {});
    const scores = new Float32Array(model.items);
    model.scoreUser(-1, history([0]), scores);
    // Item 2 shares two words with the history, item 1 only one — but a rare one. (By raw counts it would be 2/3 vs 1/3.)
    expect(scores[1]).toBeGreaterThan(scores[2]);
    expect(scores[2]).toBeGreaterThan(0);
    expect(topItems(model, -1, history([0]), 1)).toEqual([1]);
  });

  it('scores the cosine between the history profile and each unit item vector', async () => {
    const model = await new ContentTrainer(texts).train(emptyMatrix(texts.length), {});
    const scores = new Float32Array(model.items);
    model.scoreUser(-1, history([0]), scores);
    expect(scores[0]).toBeCloseTo(1, 5);
    const vectors = model.vectors as SparseItemVectors;
    for (let i = 0; i < vectors.items; i++) {
      let norm2 = 0;
      for (let p = vectors.ptr[i]; p < vectors.ptr[i + 1]; p++) norm2 += vectors.values[p] ** 2;
      expect(norm2).toBeCloseTo(1, 5);
    }
    // Scoring leaves no state behind: a second, different user is unaffected by the first.
    const again = new Float32Array(model.items);
    model.scoreUser(-1, history([3]), again);
    model.scoreUser(-1, history([0]), again);
    expect(Array.from(again)).toEqual(Array.from(scores));
  });

  it('matches whole tag labels, weighted by tag_weight, and covers items beyond the matrix (cold start)', async () => {
    const tagged: ItemText[] = [
      { text: 'red shoe', tags: ['trail running'] },
      { text: 'blue shoe', tags: ['trail running'] },
      { text: 'green shoe', tags: ['road'] },
      { text: 'yellow shoe', tags: ['road'] },
    ];
    // The matrix knows 2 items; items 2 and 3 are new to it but have text.
    const model = await new ContentTrainer(tagged).train(emptyMatrix(2), { tag_weight: 3 });
    expect(model.items).toBe(4);
    expect(topItems(model, -1, history([0]), 3)).toEqual([1, 2, 3]);
  });

  it('multiplies the cosine by (users of the item / most users of an item)^popularity_prior', async () => {
    // Items 1 and 2 are equally close to item 0's text; item 2 has 4 users, item 1 has 1.
    const shoes: ItemText[] = ['trail shoe', 'trail boot', 'trail sock', 'road bike'].map((text) => ({ text, tags: [] }));
    const log = new InteractionLog();
    [[0, 1], [1, 2], [2, 2], [3, 2], [4, 2], [4, 3]].forEach(([user, item]) => log.push(user, item, 1));
    const matrix = buildUserItemMatrix(log, 5, 4, 10);
    const textOnly = await new ContentTrainer(shoes).train(matrix, { popularity_prior: 0 });
    const withPrior = await new ContentTrainer(shoes).train(matrix, {});
    const [plain, weighted] = [new Float32Array(4), new Float32Array(4)];
    textOnly.scoreUser(-1, history([0]), plain);
    withPrior.scoreUser(-1, history([0]), weighted);
    expect(plain[1]).toBeCloseTo(plain[2], 6);
    // Default β = 1: × 1/4 for item 1, × 4/4 for item 2, × 1/4 for item 3 (no shared word: still 0).
    expect(weighted[1]).toBeCloseTo(plain[1] / 4, 6);
    expect(weighted[2]).toBeCloseTo(plain[2], 6);
    expect(weighted[3]).toBe(0);
    // Item 0 itself has no users: a prior > 0 gives it 0, whatever its text.
    expect(weighted[0]).toBe(0);
  });

  it('weights the profile by the history weights', async () => {
    const fruit = ['apple', 'banana', 'apple pie', 'banana bread'].map((text) => ({ text, tags: [] }));
    const model = await new ContentTrainer(fruit).train(emptyMatrix(4), {});
    expect(topItems(model, -1, history([0, 1], [5, 0.1]), 1)).toEqual([2]);
    expect(topItems(model, -1, history([0, 1], [0.1, 5]), 1)).toEqual([3]);
  });

  it('scores an empty history (or items without text) as all zeros', async () => {
    const model = await new ContentTrainer([{ text: '', tags: [] }, ...texts]).train(emptyMatrix(7), {});
    const scores = new Float32Array(model.items).fill(1);
    model.scoreUser(-1, history([0]), scores);
    expect(scores.every((s) => s === 0)).toBe(true);
  });
});

describe('ContentTrainer with a plugged-in ItemTextEmbedder', () => {
  /** 2-d "embedding": (has "cat", has "dog"), not normalised. */
  const embedder: ItemTextEmbedder = {
    dimension: 2,
    embed: (texts) => texts.map((t) => Float32Array.of(t.text.includes('cat') ? 3 : 0.1, t.text.includes('dog') ? 3 : 0.1)),
  };
  const texts: ItemText[] = ['cat toy', 'dog toy', 'cat and dog toy', 'cat bed'].map((text) => ({ text, tags: [] }));

  it('uses the embedder’s rows, L2-normalised, instead of TF-IDF', async () => {
    const model = await new ContentTrainer(texts, embedder).train(emptyMatrix(4), {});
    const scores = new Float32Array(4);
    model.scoreUser(-1, history([0]), scores);
    expect(scores[3]).toBeCloseTo(1, 5);
    expect(scores[2]).toBeCloseTo(Math.SQRT1_2, 1);
    expect(topItems(model, -1, history([0]), 3)).toEqual([3, 2, 1]);
  });

  it('refuses an embedder returning rows of the wrong size', async () => {
    const broken: ItemTextEmbedder = { dimension: 3, embed: (t) => t.map(() => new Float32Array(2)) };
    await expect(new ContentTrainer(texts, broken).train(emptyMatrix(4), {})).rejects.toThrow(/expected 3/);
  });
});

describe('item text adapters', () => {
  it('itemTextOf reads title and description as text, tags and category as labels', () => {
    expect(itemTextOf({ metadata: { title: 'Trail shoe', description: 'Grippy sole', tags: ['running'], category: 'footwear', price: 3 } })).toEqual({
      text: 'Trail shoe\nGrippy sole',
      tags: ['running', 'footwear'],
    });
    expect(itemTextOf({ metadata: {} })).toEqual({ text: '', tags: [] });
  });

  it('hashedItemTextEmbedder plugs the hashed ContentEmbedder into the content model', async () => {
    const texts = ['trail running shoe', 'road running shoe', 'trail running jacket', 'dinner plate'].map((text) => ({ text, tags: [] }));
    const model = await new ContentTrainer(texts, hashedItemTextEmbedder(new ContentEmbedder(256))).train(emptyMatrix(4), {});
    expect(topItems(model, -1, history([0]), 3)[2]).toBe(3);
  });
});
