import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { IdInterner } from '@lemo/features';
import type { ItemText } from './engine';

/**
 * What a column of the item file holds: the item `id`, free `text` (several
 * are joined), a `tag` label (its value), a 0/1 `flag` (1 tags the item with
 * the column's header name, or `c<column>` without a header), or `-` to ignore.
 */
export type ItemColumnRole = 'id' | 'text' | 'tag' | 'flag' | '-';

const ITEM_COLUMN_ROLES: readonly ItemColumnRole[] = ['id', 'text', 'tag', 'flag', '-'];

export interface ItemFileFormat {
  separator: string;
  header: boolean;
  columns: readonly ItemColumnRole[];
  encoding: BufferEncoding;
}

/** Parses e.g. `id,text,-,-,-,flag*19`: `role*N` repeats a role N times; exactly one `id`. */
export function parseItemColumns(spec: string): ItemColumnRole[] {
  const columns: ItemColumnRole[] = [];
  for (const entry of spec.split(',').map((e) => e.trim())) {
    const match = /^([\w-]+)(?:\*(\d+))?$/.exec(entry);
    const role = match?.[1] as ItemColumnRole | undefined;
    if (!match || !role || !ITEM_COLUMN_ROLES.includes(role))
      throw new Error(`unknown item column '${entry}' (use ${ITEM_COLUMN_ROLES.join(', ')}, role*N to repeat)`);
    for (let n = Number(match[2] ?? 1); n > 0; n--) columns.push(role);
  }
  if (columns.filter((c) => c === 'id').length !== 1) throw new Error("--item-columns needs exactly one 'id' column");
  return columns;
}

export interface ItemTexts {
  /** texts[i] describes item index i of the interactions; items the file lacks have empty text. */
  texts: ItemText[];
  /** Items of the interactions the file describes. */
  described: number;
}

export async function readItemTextsFile(file: string, format: ItemFileFormat, itemIds: IdInterner): Promise<ItemTexts> {
  const lines = createInterface({ input: createReadStream(file, format.encoding), crlfDelay: Infinity });
  return parseItemTexts(lines, format, itemIds);
}

/** Reads item texts for the items of the interactions; items absent from them are skipped (they are not ranked). */
export async function parseItemTexts(lines: AsyncIterable<string> | Iterable<string>, format: ItemFileFormat, itemIds: IdInterner): Promise<ItemTexts> {
  const texts: ItemText[] = Array.from({ length: itemIds.size }, () => ({ text: '', tags: [] }));
  const idAt = format.columns.indexOf('id');
  let names = format.columns.map((_, c) => `c${c}`);
  let lineNo = 0;
  let described = 0;
  for await (const raw of lines) {
    lineNo++;
    const fields = (raw.endsWith('\r') ? raw.slice(0, -1) : raw).split(format.separator);
    if (format.header && lineNo === 1) {
      names = format.columns.map((_, c) => fields[c]?.trim() || `c${c}`);
      continue;
    }
    if (fields.length < format.columns.length) continue;
    const item = itemIds.indexOf(fields[idAt].trim());
    if (item < 0) continue;
    const text: string[] = [];
    const tags: string[] = [];
    format.columns.forEach((role, c) => {
      const value = fields[c].trim();
      if (role === 'text' && value) text.push(value);
      else if (role === 'tag' && value) tags.push(value);
      else if (role === 'flag' && value === '1') tags.push(names[c]);
    });
    texts[item] = { text: text.join(' '), tags };
    described++;
  }
  return { texts, described };
}
