/** The trigram tokenizer cannot match shorter words; those are checked with instr() instead. */
const TRIGRAM = 3;

export interface SqlCondition {
  sql: string;
  params: unknown[];
}

/**
 * A WHERE condition on `items` matching every word of `query` (case-insensitive,
 * substring) in the lower-cased search text. Words of 3+ characters go through
 * the FTS5 trigram index; the rest filter the candidates. The condition is ANDed
 * with the tenant and scenario, so FTS hits of other tenants never leave the query.
 */
export function itemSearchCondition(query: string): SqlCondition {
  const words = [...new Set(query.toLowerCase().split(/\s+/).filter(Boolean))];
  if (words.length === 0) return { sql: '0', params: [] };
  const indexed = words.filter((word) => [...word].length >= TRIGRAM);
  const short = words.filter((word) => [...word].length < TRIGRAM);
  const parts: string[] = [];
  const params: unknown[] = [];
  if (indexed.length > 0) {
    parts.push('rowid IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)');
    params.push(indexed.map((word) => `"${word.replace(/"/g, '""')}"`).join(' AND '));
  }
  for (const word of short) {
    parts.push('instr(search_text, ?) > 0');
    params.push(word);
  }
  return { sql: parts.join(' AND '), params };
}
