import { IdInterner } from '@lemo/features';
import { parseItemColumns, parseItemTexts } from './item-texts';

describe('parseItemTexts', () => {
  it('maps texts, tag values and 0/1 flags onto the interactions’ item indices', async () => {
    const itemIds = new IdInterner();
    itemIds.intern('7');
    itemIds.intern('3');
    const format = { separator: '|', header: true, columns: parseItemColumns('id,text,tag,-,flag*2'), encoding: 'utf8' as const };
    const { texts, described } = await parseItemTexts(['id|title|studio|url|Action|Drama', '3|Heat (1995)|Warner|x|1|1', '9|Unknown|A|x|0|1'], format, itemIds);
    expect(described).toBe(1);
    expect(texts).toEqual([
      { text: '', tags: [] },
      { text: 'Heat (1995)', tags: ['Warner', 'Action', 'Drama'] },
    ]);
  });

  it('expands role*N and needs one id column', () => {
    expect(parseItemColumns('id,text,-*2,flag*3')).toEqual(['id', 'text', '-', '-', 'flag', 'flag', 'flag']);
    expect(() => parseItemColumns('text')).toThrow("exactly one 'id'");
    expect(() => parseItemColumns('id,genre')).toThrow("unknown item column 'genre'");
  });
});
