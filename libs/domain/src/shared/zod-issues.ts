import type { z } from 'zod';
import { DomainError, type FieldIssue } from '../errors/domain-error';

/** Turns a zod error into field issues whose `field` is the dotted path. */
export function fieldIssues(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => (path ? `${path}.${k}` : k));
      return { field: keys.join(', '), message: `unknown field${keys.length > 1 ? 's' : ''}` };
    }
    return { field: path || '(body)', message: issue.message };
  });
}

/** Parses `input` or throws a VALIDATION_FAILED DomainError naming every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw DomainError.invalidMany(fieldIssues(result.error, prefix));
  return result.data;
}
