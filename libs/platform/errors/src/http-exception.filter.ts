import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { ZodValidationException } from 'nestjs-zod';
import { z } from 'zod';
import { DomainError, fieldIssues, type FieldIssue } from '@lemo/domain';
import { LOGGER, type AppLogger, currentRequestId } from '@lemo/platform-observability';
import { httpStatusOf } from './http-status';

export interface ErrorBody {
  status_code: number;
  code: string;
  message: string;
  errors?: FieldIssue[];
  error_id?: string;
  request_id?: string;
}

/**
 * The one place HTTP errors are shaped. Domain errors keep their code and
 * field issues; request validation names every bad field; anything unknown
 * becomes a 500 with an error id that is also logged, never a stack trace.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    body.request_id = currentRequestId();
    if (exception instanceof DomainError && (exception.code === 'RATE_LIMITED' || exception.code === 'UNAVAILABLE')) response.setHeader('Retry-After', '1');
    response.status(body.status_code).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof DomainError) {
      const status = httpStatusOf(exception.code);
      // A backend being unreachable is worth telling the client (503: retry later), not hiding as a 500; the details stay in the log.
      if (exception.code === 'UNAVAILABLE') return this.unavailable(exception);
      if (status >= 500) return this.internal(exception);
      return { status_code: status, code: exception.code, message: exception.message, errors: exception.issues.length ? exception.issues : undefined };
    }
    if (exception instanceof ZodValidationException) {
      const zodError = exception.getZodError() as z.ZodError;
      const issues = fieldIssues(zodError);
      return { status_code: 400, code: 'VALIDATION_FAILED', message: issues.map((i) => `${i.field}: ${i.message}`).join('; '), errors: issues };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest turns body-parser's SyntaxError (malformed JSON) into a bare 400 with the parser's message.
      if (status === 400 && exception.constructor === BadRequestException && /JSON/.test(messageOf(exception))) {
        return { status_code: 400, code: 'VALIDATION_FAILED', message: `body: malformed JSON (${messageOf(exception)})`, errors: [{ field: 'body', message: 'malformed JSON' }] };
      }
      if (status >= 500) return this.internal(exception);
      return { status_code: status, code: codeForStatus(status), message: messageOf(exception) };
    }
    if (isBodyParserError(exception)) {
      return { status_code: exception.status, code: codeForStatus(exception.status), message: bodyParserMessage(exception) };
    }
    return this.internal(exception);
  }

  private unavailable(exception: DomainError): ErrorBody {
    const errorId = randomUUID();
    this.logger.error({ err: exception, error_id: errorId }, 'backend unavailable');
    return { status_code: 503, code: 'UNAVAILABLE', message: 'A backend is unreachable; retry shortly', error_id: errorId };
  }

  private internal(exception: unknown): ErrorBody {
    const errorId = randomUUID();
    this.logger.error({ err: exception, error_id: errorId }, 'unhandled error');
    return { status_code: 500, code: 'INTERNAL', message: 'Internal error; quote error_id when reporting it', error_id: errorId };
  }
}

function codeForStatus(status: number): string {
  const names: Record<number, string> = { 400: 'VALIDATION_FAILED', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 409: 'CONFLICT', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };
  return names[status] ?? 'HTTP_ERROR';
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  const e = error as Partial<BodyParserError> | null;
  return !!e && typeof e.status === 'number' && e.status >= 400 && e.status < 500 && typeof e.type === 'string';
}

function bodyParserMessage(error: BodyParserError): string {
  switch (error.type) {
    case 'entity.parse.failed':
      return `body: malformed JSON (${error.message})`;
    case 'entity.too.large':
      return 'body: request body is too large';
    default:
      return `body: ${error.message}`;
  }
}
