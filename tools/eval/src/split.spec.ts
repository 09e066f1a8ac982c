import { parseColumns, parseInteractions, type Interactions } from './interactions';
import { validationSplit } from './evaluate';
import { groupByUser, PROTOCOLS, recboleCounts, roundHalfToEven, type Split } from './split';

/** User u has 4 + 3u interactions (u = 0..5) on distinct items, at shuffled times. */
async function sample(): Promise<Interactions> {
  const lines: string[] = [];
  for (let u = 0; u < 6; u++) {
    const n = 4 + 3 * u;
    for (let j = 0; j < n; j++) lines.push(`u${u}\ti${(u * 7 + j) % 40}\t4\t${(j * 37) % n}`);
  }
  return parseInteractions(lines, { separator: '\t', header: false, columns: parseColumns('user,item,rating,timestamp') });
}

const everything = (data: Interactions) => Int32Array.from({ length: data.length }, (_, e) => e);
const sizesByUser = (data: Interactions, part: Int32Array) => groupByUser(data, part).map((group) => group.length);

function expectPartition(data: Interactions, split: Split): void {
  const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
  expect(all).toEqual(Array.from(everything(data)));
}

describe('split protocols', () => {
  it('ms-recommenders keeps round(0.75 n) of each user for training (Python rounding), the rest for test, no validation', async () => {
    const data = await sample();
    const split = PROTOCOLS['ms-recommenders'].split(data, everything(data), 42);
    expectPartition(data, split);
    expect(split.validation).toHaveLength(0);
    const totals = sizesByUser(data, everything(data));
    expect(sizesByUser(data, split.train)).toEqual(totals.map((n) => roundHalfToEven(0.75 * n)));
    expect(sizesByUser(data, split.test)).toEqual(totals.map((n) => n - roundHalfToEven(0.75 * n)));
  });

  it('recbole cuts each user 8:1:1 with RecBole counts', async () => {
    const data = await sample();
    const split = PROTOCOLS.recbole.split(data, everything(data), 42);
    expectPartition(data, split);
    const totals = sizesByUser(data, everything(data));
    expect(sizesByUser(data, split.train)).toEqual(totals.map((n) => recboleCounts(n)[0]));
    expect(sizesByUser(data, split.validation)).toEqual(totals.map((n) => recboleCounts(n)[1]));
    expect(recboleCounts(10)).toEqual([8, 1, 1]);
    expect(recboleCounts(20)).toEqual([16, 2, 2]);
    expect(recboleCounts(5)).toEqual([3, 1, 1]);
    expect(recboleCounts(2)).toEqual([1, 0, 1]);
    expect(recboleCounts(1)).toEqual([1, 0, 0]);
  });

  it('is reproducible for a seed and changes with it', async () => {
    const data = await sample();
    const protocol = PROTOCOLS['ms-recommenders'];
    expect(protocol.split(data, everything(data), 7)).toEqual(protocol.split(data, everything(data), 7));
    expect(protocol.split(data, everything(data), 7).test).not.toEqual(protocol.split(data, everything(data), 8).test);
  });

  it('leave-last-out tests each user on their latest interaction and never leaks it into training', async () => {
    const data = await parseInteractions(['a\tx\t1\t30', 'a\ty\t1\t10', 'a\tz\t1\t20', 'b\tx\t1\t5', 'c\ty\t1\t1', 'c\tz\t1\t2'], {
      separator: '\t',
      header: false,
      columns: parseColumns('user,item,rating,timestamp'),
    });
    const split = PROTOCOLS['leave-last-out'].split(data, everything(data), 42);
    expectPartition(data, split);
    const pairs = (part: Int32Array) => Array.from(part, (e) => `${data.userIds.idAt(data.users[e])}:${data.itemIds.idAt(data.items[e])}`).sort();
    // b has one interaction: it trains, it is not tested.
    expect(pairs(split.test)).toEqual(['a:x', 'c:z']);
    expect(pairs(split.train)).toEqual(['a:y', 'a:z', 'b:x', 'c:y']);
  });

  it('carves the tuning split from the training part only: RecBole’s validation part, else the protocol again', async () => {
    const data = await sample();
    for (const protocol of [PROTOCOLS['ms-recommenders'], PROTOCOLS['leave-last-out'], PROTOCOLS.recbole]) {
      const split = protocol.split(data, everything(data), 42);
      const tuning = validationSplit(data, split, protocol, 42);
      const testSet = new Set(split.test);
      expect([...tuning.train, ...tuning.test].some((e) => testSet.has(e))).toBe(false);
      expect(tuning.test.length).toBeGreaterThan(0);
      if (protocol.name === 'recbole') expect(tuning).toEqual({ train: split.train, test: split.validation });
      else expect([...tuning.train, ...tuning.test].sort((a, b) => a - b)).toEqual(Array.from(split.train).sort((a, b) => a - b));
    }
  });

  it('rounds halves to even like Python', () => {
    expect([roundHalfToEven(4.5), roundHalfToEven(5.5), roundHalfToEven(3.75), roundHalfToEven(2.25)]).toEqual([4, 6, 4, 2]);
  });
});
