import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { IdInterner } from '@lemo/features';

/** What a column of the interaction file holds; `-` is a column to ignore. */
export type ColumnRole = 'user' | 'item' | 'rating' | 'timestamp' | 'weight' | '-';

const COLUMN_ROLES: readonly ColumnRole[] = ['user', 'item', 'rating', 'timestamp', 'weight', '-'];

export interface FileFormat {
  /** Field separator, taken literally (`\t`, `,`, `::`...). */
  separator: string;
  /** The first line names the columns and is skipped. */
  header: boolean;
  columns: readonly ColumnRole[];
  /** Rows whose rating is below this are not positive and are dropped; undefined keeps every row. */
  positiveThreshold?: number;
}

/**
 * The positive interactions of a file, one entry per distinct (user, item)
 * pair: a pair seen several times is one interaction whose weight is the sum
 * and whose time is the latest, so a split can never put the same item of a
 * user on both sides. Users and items are dense indices (first seen, first numbered).
 */
export interface Interactions {
  userIds: IdInterner;
  itemIds: IdInterner;
  users: Int32Array;
  items: Int32Array;
  /** 1 per positive row, or the sum of the `weight` column. */
  weights: Float32Array;
  /** The `timestamp` column, or the line number when the file has none. */
  timestamps: Float64Array;
  length: number;
  /** Lines read (header excluded) and lines dropped as non-positive. */
  stats: { lines: number; dropped: number };
}

/** Parses `user,item,rating,timestamp` (or with `weight` / `-`); a user and an item column are required. */
export function parseColumns(spec: string): ColumnRole[] {
  const columns = spec.split(',').map((name) => name.trim());
  for (const name of columns) {
    if (!(COLUMN_ROLES as readonly string[]).includes(name)) throw new Error(`unknown column '${name}' (use ${COLUMN_ROLES.join(', ')})`);
  }
  for (const required of ['user', 'item'] as const) {
    if (columns.filter((c) => c === required).length !== 1) throw new Error(`--columns needs exactly one '${required}' column`);
  }
  for (const single of ['rating', 'timestamp', 'weight'] as const) {
    if (columns.filter((c) => c === single).length > 1) throw new Error(`--columns has '${single}' more than once`);
  }
  return columns as ColumnRole[];
}

/** Turns the shell-friendly spellings `\t`, `tab`, `\s` into the separator they mean. */
export function parseSeparator(spec: string): string {
  if (spec === '\\t' || spec === 'tab') return '\t';
  if (spec === '\\s' || spec === 'space') return ' ';
  if (spec.length === 0) throw new Error('--sep must not be empty');
  return spec;
}

export async function readInteractionsFile(file: string, format: FileFormat): Promise<Interactions> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  return parseInteractions(lines, format);
}

export async function parseInteractions(lines: AsyncIterable<string> | Iterable<string>, format: FileFormat): Promise<Interactions> {
  const at = (role: ColumnRole): number => format.columns.indexOf(role);
  const userAt = at('user');
  const itemAt = at('item');
  const ratingAt = at('rating');
  const timeAt = at('timestamp');
  const weightAt = at('weight');
  const builder = new PairBuilder();
  let lineNo = 0;
  let dataLines = 0;
  let dropped = 0;
  for await (const raw of lines) {
    lineNo++;
    if (format.header && lineNo === 1) continue;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    dataLines++;
    const fields = line.split(format.separator);
    if (fields.length < format.columns.length) throw new Error(`line ${lineNo}: ${fields.length} fields, --columns names ${format.columns.length}`);
    if (ratingAt >= 0 && format.positiveThreshold !== undefined && !(numberAt(fields, ratingAt, lineNo) >= format.positiveThreshold)) {
      dropped++;
      continue;
    }
    const weight = weightAt >= 0 ? numberAt(fields, weightAt, lineNo) : 1;
    if (!(weight > 0)) {
      dropped++;
      continue;
    }
    const time = timeAt >= 0 ? numberAt(fields, timeAt, lineNo) : lineNo;
    builder.add(fields[userAt].trim(), fields[itemAt].trim(), weight, time);
  }
  return builder.finish({ lines: dataLines, dropped });
}

function numberAt(fields: string[], index: number, lineNo: number): number {
  const value = Number(fields[index]);
  if (fields[index].trim() === '' || Number.isNaN(value)) throw new Error(`line ${lineNo}: '${fields[index]}' is not a number`);
  return value;
}

/** Accumulates rows into distinct (user, item) pairs. */
class PairBuilder {
  private readonly userIds = new IdInterner();
  private readonly itemIds = new IdInterner();
  /** Per user: item index → pair index. */
  private readonly pairOf: Array<Map<number, number>> = [];
  private users: number[] = [];
  private items: number[] = [];
  private weights: number[] = [];
  private times: number[] = [];

  add(userId: string, itemId: string, weight: number, time: number): void {
    const user = this.userIds.intern(userId);
    const item = this.itemIds.intern(itemId);
    const pairs = (this.pairOf[user] ??= new Map());
    const pair = pairs.get(item);
    if (pair === undefined) {
      pairs.set(item, this.users.length);
      this.users.push(user);
      this.items.push(item);
      this.weights.push(weight);
      this.times.push(time);
    } else {
      this.weights[pair] += weight;
      this.times[pair] = Math.max(this.times[pair], time);
    }
  }

  finish(stats: Interactions['stats']): Interactions {
    return {
      userIds: this.userIds,
      itemIds: this.itemIds,
      users: Int32Array.from(this.users),
      items: Int32Array.from(this.items),
      weights: Float32Array.from(this.weights),
      timestamps: Float64Array.from(this.times),
      length: this.users.length,
      stats,
    };
  }
}
