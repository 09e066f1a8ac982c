type Json = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges `patch` over `base`: objects merge key by key, arrays and scalars
 * replace. Used for template → scenario config and experiment overrides.
 */
export function deepMerge(base: Json, patch: Json): Json {
  const result: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    result[key] = isPlainObject(value) && isPlainObject(base[key]) ? deepMerge(base[key] as Json, value) : value;
  }
  return result;
}
