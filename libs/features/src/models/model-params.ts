import { DomainError } from '@lemo/domain';

/**
 * Reads of a strategy's `params` (scenario config, where they are untyped
 * JSON): absent means the default, anything else must be valid or training
 * refuses with VALIDATION_FAILED naming the field, rather than silently
 * training a different model than the one configured.
 */
export function numberParam(params: object, name: string, fallback: number, min: number, max: number): number {
  const value: unknown = (params as Record<string, unknown>)[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw DomainError.invalid(`params.${name}`, `must be a number in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

export function integerParam(params: object, name: string, fallback: number, min: number, max: number): number {
  const value = numberParam(params, name, fallback, min, max);
  if (!Number.isInteger(value)) throw DomainError.invalid(`params.${name}`, `must be an integer, got ${value}`);
  return value;
}

export function booleanParam(params: object, name: string, fallback: boolean): boolean {
  const value: unknown = (params as Record<string, unknown>)[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw DomainError.invalid(`params.${name}`, `must be a boolean, got ${String(value)}`);
  return value;
}
