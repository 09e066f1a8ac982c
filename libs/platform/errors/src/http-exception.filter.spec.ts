import type { ArgumentsHost } from '@nestjs/common';
import { DomainError } from '@lemo/domain';
import { HttpExceptionFilter } from './http-exception.filter';

function fakeHost() {
  const response = { statusCode: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const res = {
    status(code: number) {
      response.statusCode = code;
      return this;
    },
    json(body: unknown) {
      response.body = body;
    },
    setHeader(name: string, value: string) {
      response.headers[name] = value;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => res }) } as unknown as ArgumentsHost;
  return { host, response };
}

describe('HttpExceptionFilter', () => {
  const logged: unknown[] = [];
  const logger = { error: (...args: unknown[]) => logged.push(args) };
  const filter = new HttpExceptionFilter(logger as never);

  it('turns an unknown error into a 500 with an error id that is also logged, hiding the message', () => {
    const { host, response } = fakeHost();
    filter.catch(new Error('db password is hunter2'), host);
    const body = response.body as { status_code: number; error_id: string; message: string };
    expect(response.statusCode).toBe(500);
    expect(body.error_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.message).not.toContain('hunter2');
    expect(JSON.stringify(logged)).toContain(body.error_id);
  });

  it('keeps a domain error\'s code and field issues', () => {
    const { host, response } = fakeHost();
    filter.catch(DomainError.invalid('count', 'must be positive'), host);
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'count', message: 'must be positive' }] });
  });

  it('sets Retry-After on rate limiting', () => {
    const { host, response } = fakeHost();
    filter.catch(new DomainError('RATE_LIMITED', 'slow down'), host);
    expect(response.statusCode).toBe(429);
    expect(response.headers['Retry-After']).toBe('1');
  });

  it('answers an unreachable backend with 503 and Retry-After, keeping its details in the log', () => {
    const { host, response } = fakeHost();
    filter.catch(new DomainError('UNAVAILABLE', 'mongodb at 10.0.0.5:27017 unreachable'), host);
    const body = response.body as { status_code: number; code: string; message: string; error_id: string };
    expect(response.statusCode).toBe(503);
    expect(response.headers['Retry-After']).toBe('1');
    expect(body).toMatchObject({ status_code: 503, code: 'UNAVAILABLE' });
    expect(body.message).not.toContain('10.0.0.5');
    expect(JSON.stringify(logged)).toContain(body.error_id);
  });
});
