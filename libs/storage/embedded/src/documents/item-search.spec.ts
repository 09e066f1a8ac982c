import { itemSearchCondition } from './item-search';

describe('itemSearchCondition', () => {
  it('sends words of three or more characters to the trigram index as quoted phrases, lower-cased', () => {
    expect(itemSearchCondition('Red  SHOES red')).toEqual({
      sql: 'rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)',
      params: ['"red" AND "shoes"'],
    });
  });

  it('escapes quotes so that a query can never change the FTS expression', () => {
    expect(itemSearchCondition('say"hi" NEAR x').params[0]).toBe('"say""hi""" AND "near"');
  });

  it('checks shorter words, which trigrams cannot index, as substrings', () => {
    expect(itemSearchCondition('tv 手机 phone')).toEqual({
      sql: 'rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?) AND instr(search_text, ?) > 0 AND instr(search_text, ?) > 0',
      params: ['"phone"', 'tv', '手机'],
    });
  });

  it('matches nothing for a blank query', () => {
    expect(itemSearchCondition('   ')).toEqual({ sql: '0', params: [] });
  });
});
