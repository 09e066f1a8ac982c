import { ContentEmbedder } from './content-embedder';
import { cosine, norm } from './numeric/vector-math';

const item = (metadata: Record<string, unknown>) => ({ metadata });

const TOPICS = {
  running: [
    { title: 'Trail running shoes', description: 'Lightweight shoes for trail runs and marathons', tags: ['running', 'shoes'], category: 'sports' },
    {
      title: 'Marathon training plan',
      description: 'Twelve weeks of running workouts to finish your first marathon',
      tags: ['running', 'marathon'],
      category: 'sports',
    },
    { title: 'Running socks', description: 'Breathable socks for long runs', tags: ['running', 'apparel'], category: 'sports' },
  ],
  cooking: [
    { title: 'Cast iron skillet', description: 'Sear steaks and bake cornbread in a cast iron pan', tags: ['cooking', 'kitchen'], category: 'home' },
    { title: 'Sourdough baking guide', description: 'Bake sourdough bread at home with a starter', tags: ['baking', 'cooking'], category: 'home' },
    { title: 'Chef knife', description: 'A sharp kitchen knife for cooking every day', tags: ['kitchen', 'cooking'], category: 'home' },
  ],
};

describe('ContentEmbedder', () => {
  const embedder = new ContentEmbedder(256);

  it('returns unit vectors of the configured dimension, identical for identical input', () => {
    const a = embedder.embed(item(TOPICS.running[0]));
    const b = new ContentEmbedder(256).embed(item({ ...TOPICS.running[0] }));
    expect(a).toBeInstanceOf(Float32Array);
    expect(a).toHaveLength(256);
    expect(norm(a)).toBeCloseTo(1, 5);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('puts every same-topic pair closer than every cross-topic pair', () => {
    const running = TOPICS.running.map((m) => embedder.embed(item(m)));
    const cooking = TOPICS.cooking.map((m) => embedder.embed(item(m)));
    const within: number[] = [];
    for (const group of [running, cooking]) {
      for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) within.push(cosine(group[i], group[j]));
    }
    const across = running.flatMap((r) => cooking.map((c) => cosine(r, c)));
    expect(Math.min(...within)).toBeGreaterThan(Math.max(...across));
    expect(Math.min(...within)).toBeGreaterThan(0.2);
  });

  it('is case-insensitive and ignores punctuation', () => {
    const a = embedder.embed(item({ title: 'Red Running Shoes!' }));
    const b = embedder.embed(item({ title: 'red, running shoes' }));
    expect(cosine(a, b)).toBeCloseTo(1, 5);
  });

  it('weights tags and category above description words', () => {
    const base = item({ description: 'guitar lessons', tags: ['piano'] });
    const sharesTag = embedder.embed(item({ tags: ['piano'] }));
    const sharesDescription = embedder.embed(item({ description: 'guitar lessons' }));
    const embedded = embedder.embed(base);
    expect(cosine(embedded, sharesTag)).toBeGreaterThan(cosine(embedded, sharesDescription));
  });

  it('matches a multi-word category exactly, not just its words', () => {
    const a = embedder.embed(item({ category: 'home garden' }));
    const sameCategory = embedder.embed(item({ category: 'Home Garden' }));
    const sameWordsAsTitle = embedder.embed(item({ title: 'home garden' }));
    expect(cosine(a, sameCategory)).toBeCloseTo(1, 5);
    expect(cosine(a, sameWordsAsTitle)).toBeLessThan(0.95);
  });

  it('reads the category from the configured field', () => {
    const byGenre = new ContentEmbedder(64, { categoryField: 'genre' });
    expect(norm(byGenre.embed(item({ genre: 'jazz' })))).toBeCloseTo(1, 5);
    expect(norm(byGenre.embed(item({ category: 'jazz' })))).toBe(0);
  });

  it('gives CJK text overlapping character bigrams, so shared words match', () => {
    const a = embedder.embed(item({ title: '智能手机 新款' }));
    const b = embedder.embed(item({ title: '手机 壳' }));
    const c = embedder.embed(item({ title: '咖啡 豆' }));
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c));
    expect(cosine(a, b)).toBeGreaterThan(0);
  });

  it('returns the all-zero vector for an item with no text', () => {
    const empty = embedder.embed(item({ price: 3, tags: [] }));
    expect(norm(empty)).toBe(0);
  });

  it('rejects a dimension below 2 or not an integer', () => {
    expect(() => new ContentEmbedder(1)).toThrow(RangeError);
    expect(() => new ContentEmbedder(12.5)).toThrow(RangeError);
  });
});
