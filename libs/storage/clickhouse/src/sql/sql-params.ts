import { DomainError } from '@lemo/domain';

/** DateTime64(3) holds 1900-01-01 .. 2299-12-31; times outside can match no event, so they are clamped. */
const DATETIME64_MIN_MS = Date.UTC(1900, 0, 1);
const DATETIME64_MAX_MS = Date.UTC(2299, 11, 31, 23, 59, 59, 999);

const hex = (value: string): string => Buffer.from(value, 'utf8').toString('hex');

/**
 * The server-side parameters of one statement, named p0, p1… in the order
 * they are added; each method returns the SQL expression to splice in.
 *
 * Strings travel hex-encoded and are decoded by `unhex()` in SQL. The real
 * server unescapes `param_*` values (so a quote or a backslash must be sent
 * escaped, and the client does), but the dev stack's chDB HTTP shim passes them
 * through verbatim: with hex there is nothing to escape, so any string (an
 * experiment id with quotes, a tab in a user id) means the same to both. The
 * decoded value is a constant, so primary-key and skip-index analysis still apply.
 */
export class SqlParams {
  readonly values: Record<string, string | number | string[]> = {};
  private next = 0;

  private add(value: string | number | string[], type: string): string {
    const name = `p${this.next++}`;
    this.values[name] = value;
    return `{${name}:${type}}`;
  }

  text(value: string): string {
    return `unhex(${this.add(hex(value), 'String')})`;
  }

  /** An Array(String) constant, for `column IN <this>`. */
  texts(values: readonly string[]): string {
    return `arrayMap(x -> unhex(x), ${this.add(values.map(hex), 'Array(String)')})`;
  }

  int(value: number): string {
    if (!Number.isSafeInteger(value)) throw new DomainError('INTERNAL', `not an integer parameter: ${value}`);
    return this.add(value, 'Int64');
  }

  /** A DateTime64(3, 'UTC') constant from unix ms (clamped to the type's range). */
  millis(value: number): string {
    return `fromUnixTimestamp64Milli(${this.int(Math.min(Math.max(value, DATETIME64_MIN_MS), DATETIME64_MAX_MS))}, 'UTC')`;
  }

  /** A DateTime('UTC') constant from unix ms on a whole second within 1970..2106 (see rollupRange). */
  seconds(valueMs: number): string {
    return `toDateTime(${this.int(Math.floor(valueMs / 1000))}, 'UTC')`;
  }
}

/** Database names are spliced into DDL, so only plain identifiers are accepted. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function checkDatabaseName(database: string): void {
  if (!IDENTIFIER.test(database ?? '')) throw DomainError.invalid('database', 'must be an identifier: letters, digits and _, not starting with a digit, at most 63 characters');
}

/** `db`.`table`, for a database name that passed checkDatabaseName. */
export const qualified = (database: string, table: string): string => `\`${database}\`.\`${table}\``;
