/**
 * Every failure the domain can name. Transports map each code to a status
 * (HTTP in platform-errors, gRPC in the grpc app) with an exhaustive switch,
 * so adding a code here is a compile error until every mapping handles it.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'CONFLICT',
  'UNAUTHENTICATED',
  'PERMISSION_DENIED',
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'FAILED_PRECONDITION',
  'INVALID_SCENARIO_CONFIG',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `config.recall.strategies.0.weight`. */
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }

  static notFound(what: string, id: string): DomainError {
    return new DomainError('NOT_FOUND', `${what} '${id}' not found`);
  }

  static alreadyExists(what: string, id: string): DomainError {
    return new DomainError('ALREADY_EXISTS', `${what} '${id}' already exists`);
  }

  static invalid(field: string, message: string): DomainError {
    return new DomainError('VALIDATION_FAILED', `${field}: ${message}`, [{ field, message }]);
  }

  static invalidMany(issues: FieldIssue[]): DomainError {
    const summary = issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return new DomainError('VALIDATION_FAILED', summary, issues);
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
