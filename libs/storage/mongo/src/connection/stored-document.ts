/**
 * The reversible mapping between a domain document and what is stored.
 *
 * Domain documents carry free-form parts (item metadata, user attributes,
 * event extra_data, configs) whose keys and values come from clients. FerretDB
 * v1 refuses three things in them that JSON allows: keys containing '.',
 * keys starting with '$', and arrays directly inside arrays. So:
 *
 * - the document is first normalised through JSON, exactly as the embedded
 *   adapter stores it (undefined properties dropped, toJSON applied), which
 *   keeps the undefined-versus-absent semantics of both backends the same;
 * - in keys, '%' '.' '$' and NUL are percent-escaped ('%25' '%2E' '%24' '%00');
 * - an array inside an array is wrapped as `{ '%array': [...] }`. After the
 *   escaping no client key can be exactly '%array', so the wrapper is unambiguous.
 *
 * Everything else is stored as is, so ordinary documents look ordinary in the
 * database and the fixed top-level fields (tenant_id, ids, status…) stay queryable.
 */
export type StoredDocument = Record<string, unknown>;

const NESTED_ARRAY = '%array';
const ESCAPES: Record<string, string> = { '%': '%25', '.': '%2E', $: '%24', '\0': '%00' };
const UNESCAPES: Record<string, string> = Object.fromEntries(Object.entries(ESCAPES).map(([raw, escaped]) => [escaped, raw]));

const escapeKey = (key: string): string => key.replace(/[%.$\0]/g, (char) => ESCAPES[char]);
const unescapeKey = (key: string): string => (key.includes('%') ? key.replace(/%(25|2E|24|00)/g, (escaped) => UNESCAPES[escaped]) : key);

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function encode(value: unknown, insideArray: boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => encode(item, true));
    return insideArray ? { [NESTED_ARRAY]: items } : items;
  }
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, child]) => [escapeKey(key), encode(child, false)]));
  return value;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === NESTED_ARRAY) return decode(value[NESTED_ARRAY]);
    return Object.fromEntries(keys.map((key) => [unescapeKey(key), decode(value[key])]));
  }
  return value;
}

/** The stored form of a domain document (a fresh object: the driver may add `_id` to it). */
export function toStored(doc: object): StoredDocument {
  return encode(JSON.parse(JSON.stringify(doc)), false) as StoredDocument;
}

/** The domain document back from its stored form (read without `_id` and derived fields). */
export function fromStored<T>(stored: StoredDocument): T {
  return decode(stored) as T;
}
