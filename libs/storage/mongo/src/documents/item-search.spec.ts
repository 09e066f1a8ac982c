import { itemSearchFilter } from './item-search';

describe('itemSearchFilter', () => {
  it('requires every distinct word, lower-cased, as a substring of the search text', () => {
    expect(itemSearchFilter('Red  SHOES red')).toEqual({ $and: [{ _search: { $regex: 'red' } }, { _search: { $regex: 'shoes' } }] });
  });

  it('escapes regular expression syntax, so a query can only ever match itself literally', () => {
    expect(itemSearchFilter('c++ (v1.2) a|b [x] ^$ \\')).toEqual({
      $and: ['c\\+\\+', '\\(v1\\.2\\)', 'a\\|b', '\\[x\\]', '\\^\\$', '\\\\'].map((pattern) => ({ _search: { $regex: pattern } })),
    });
    for (const word of ['c++', '(v1.2)', 'a|b', '[x]', '^$', '\\']) {
      const [condition] = (itemSearchFilter(word) as { $and: Array<{ _search: { $regex: string } }> }).$and;
      expect(new RegExp(condition._search.$regex).test(`before ${word} after`)).toBe(true);
    }
  });

  it('keeps CJK words whole: they match inside unsegmented text', () => {
    expect(itemSearchFilter('手机新款')).toEqual({ $and: [{ _search: { $regex: '手机新款' } }] });
  });

  it('matches nothing for a blank query', () => {
    expect(itemSearchFilter('  \t ')).toBeNull();
  });
});
