import type { StoredFilter } from '../connection/stored-collection';

/** The lower-cased text an item is searched by: title, description and tags. */
export const SEARCH_FIELD = '_search';

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A filter matching every word of `query` as a case-insensitive substring of
 * the item's search text (so words inside unsegmented CJK text match too).
 * FerretDB has no $text index; each word becomes an escaped, unanchored
 * regular expression, evaluated only on the documents of one tenant and
 * scenario (the query's index prefix). Null for a blank query: nothing matches.
 */
export function itemSearchFilter(query: string): StoredFilter | null {
  const words = [...new Set(query.toLowerCase().split(/\s+/).filter(Boolean))];
  if (words.length === 0) return null;
  return { $and: words.map((word) => ({ [SEARCH_FIELD]: { $regex: escapeRegex(word) } })) };
}
