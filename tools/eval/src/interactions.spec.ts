import { parseColumns, parseInteractions, parseSeparator } from './interactions';

describe('parseInteractions', () => {
  it('reads tab-separated user item rating timestamp lines and keeps ratings at or above the threshold', async () => {
    const data = await parseInteractions(['u1\ti1\t5\t100', 'u1\ti2\t2\t101', 'u2\ti2\t3\t102'], {
      separator: '\t',
      header: false,
      columns: parseColumns('user,item,rating,timestamp'),
      positiveThreshold: 3,
    });
    expect(data.length).toBe(2);
    expect(data.stats).toEqual({ lines: 3, dropped: 1 });
    expect(Array.from(data.users, (u) => data.userIds.idAt(u))).toEqual(['u1', 'u2']);
    expect(Array.from(data.items, (i) => data.itemIds.idAt(i))).toEqual(['i1', 'i2']);
    expect(Array.from(data.weights)).toEqual([1, 1]);
    expect(Array.from(data.timestamps)).toEqual([100, 102]);
  });

  it('skips the header and ignored columns, sums a weight column per pair and keeps the latest time', async () => {
    const data = await parseInteractions(['ts,who,ignored,what,count', '7,a,x,p,2', '9,a,y,p,3', '8,b,z,p,0'], {
      separator: ',',
      header: true,
      columns: parseColumns('timestamp,user,-,item,weight'),
    });
    expect(data.length).toBe(1);
    expect(data.weights[0]).toBe(5);
    expect(data.timestamps[0]).toBe(9);
    expect(data.stats).toEqual({ lines: 3, dropped: 1 });
  });

  it('uses the line number as time when there is no timestamp column, and keeps every rating without a threshold', async () => {
    const data = await parseInteractions(['a::p::1', 'a::q::1'], { separator: '::', header: false, columns: parseColumns('user,item,rating') });
    expect(Array.from(data.timestamps)).toEqual([1, 2]);
  });

  it('rejects bad column specs and short lines', async () => {
    expect(() => parseColumns('user,rating')).toThrow("exactly one 'item'");
    expect(() => parseColumns('user,item,stars')).toThrow("unknown column 'stars'");
    await expect(parseInteractions(['a\tb'], { separator: '\t', header: false, columns: parseColumns('user,item,rating') })).rejects.toThrow('line 1');
  });

  it('spells separators the shell mangles', () => {
    expect(parseSeparator('\\t')).toBe('\t');
    expect(parseSeparator('tab')).toBe('\t');
    expect(parseSeparator('::')).toBe('::');
  });
});
