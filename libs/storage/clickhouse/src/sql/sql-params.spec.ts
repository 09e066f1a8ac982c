import { useHarness } from '@lemo/domain/testing';
import { clickHouseHarness } from '../../testing/clickhouse-harness';
import { checkDatabaseName, SqlParams } from './sql-params';

/** Everything a String parameter must survive, on the real server and on the chDB shim alike. */
const NASTY = ["it's", 'back\\slash', 'tab\there', 'new\nline', 'quote"d', '{p0:String}', '中文 ✓', '', "'; DROP TABLE x; --"];

describe('SqlParams', () => {
  const connection = useHarness(clickHouseHarness((storage) => storage.connection));

  it('names parameters in order and splices only placeholders into the SQL', () => {
    const p = new SqlParams();
    expect(p.text("a'b")).toBe('unhex({p0:String})');
    expect(p.texts(['x'])).toBe('arrayMap(x -> unhex(x), {p1:Array(String)})');
    expect(p.int(5)).toBe('{p2:Int64}');
    expect(p.values).toEqual({ p0: '612762', p1: ['78'], p2: 5 });
    expect(() => p.int(1.5)).toThrow();
  });

  it('carries any string to the server unchanged, alone and in arrays', async () => {
    const p = new SqlParams();
    const singles = NASTY.map((value) => p.text(value));
    const [row] = await connection().rows<{ singles: string[]; many: string[] }>(`SELECT [${singles.join(', ')}] AS singles, ${p.texts(NASTY)} AS many`, p);
    expect(row).toEqual({ singles: NASTY, many: NASTY });
  });

  it('clamps times to what DateTime64(3) holds instead of overflowing', async () => {
    const p = new SqlParams();
    const [row] = await connection().rows<{ low: string; high: string; exact: string }>(
      `SELECT toString(${p.millis(Number.MIN_SAFE_INTEGER)}) AS low, toString(${p.millis(Number.MAX_SAFE_INTEGER)}) AS high, toUnixTimestamp64Milli(${p.millis(1735689600123)}) AS exact`,
      p,
    );
    expect(row).toEqual({ low: '1900-01-01 00:00:00.000', high: '2299-12-31 23:59:59.999', exact: '1735689600123' });
  });

  it('accepts only plain identifiers as database names', () => {
    for (const name of ['lemo', 'lemo_test_1', '_x']) expect(() => checkDatabaseName(name)).not.toThrow();
    for (const name of ['', '1lemo', 'le-mo', 'lemo`', 'a'.repeat(64)]) expect(() => checkDatabaseName(name)).toThrow();
  });
});
