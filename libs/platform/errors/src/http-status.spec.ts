import { ERROR_CODES } from '@lemo/domain';
import { httpStatusOf } from './http-status';

describe('httpStatusOf', () => {
  it('maps every domain code to a status, only INTERNAL/UNAVAILABLE to 5xx', () => {
    for (const code of ERROR_CODES) {
      const status = httpStatusOf(code);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status >= 500).toBe(code === 'INTERNAL' || code === 'UNAVAILABLE');
    }
  });

  it('keeps the conventional statuses clients rely on', () => {
    expect(httpStatusOf('VALIDATION_FAILED')).toBe(400);
    expect(httpStatusOf('UNAUTHENTICATED')).toBe(401);
    expect(httpStatusOf('PERMISSION_DENIED')).toBe(403);
    expect(httpStatusOf('NOT_FOUND')).toBe(404);
    expect(httpStatusOf('ALREADY_EXISTS')).toBe(409);
    expect(httpStatusOf('RATE_LIMITED')).toBe(429);
  });
});
