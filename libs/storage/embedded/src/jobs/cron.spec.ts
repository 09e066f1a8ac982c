import { expectDomainError } from '@lemo/domain/testing';
import { nextCronTick } from './cron';

const at = (iso: string) => Date.parse(iso);

describe('nextCronTick', () => {
  it('reads five-field expressions in the given time zone', () => {
    expect(nextCronTick('0 3 * * *', 'Asia/Shanghai', at('2025-01-01T00:00:00Z'))).toBe(at('2025-01-01T19:00:00Z'));
    expect(nextCronTick('0 3 * * *', undefined, at('2025-01-01T00:00:00Z'))).toBe(at('2025-01-01T03:00:00Z'));
  });

  it('follows daylight saving time', () => {
    // 03:00 in New York is 08:00Z in winter and 07:00Z after the March change.
    expect(nextCronTick('0 3 * * *', 'America/New_York', at('2025-03-08T12:00:00Z'))).toBe(at('2025-03-09T07:00:00Z'));
    expect(nextCronTick('0 3 * * *', 'America/New_York', at('2025-03-07T12:00:00Z'))).toBe(at('2025-03-08T08:00:00Z'));
  });

  it('returns the tick strictly after the given instant', () => {
    expect(nextCronTick('*/15 * * * *', undefined, at('2025-01-01T00:15:00Z'))).toBe(at('2025-01-01T00:30:00Z'));
    expect(nextCronTick('* * * * * *', undefined, at('2025-01-01T00:00:00.500Z'))).toBe(at('2025-01-01T00:00:01Z'));
  });

  it('accepts aliases such as @daily', () => {
    expect(nextCronTick('@daily', 'UTC', at('2025-01-01T10:00:00Z'))).toBe(at('2025-01-02T00:00:00Z'));
  });

  it('names a bad expression or zone as VALIDATION_FAILED', async () => {
    await expectDomainError(() => nextCronTick('0 25 * * *', undefined, 0), 'VALIDATION_FAILED');
    const error = await expectDomainError(() => nextCronTick('0 3 * * *', 'Not/AZone', 0), 'VALIDATION_FAILED');
    expect(error.issues[0].field).toBe('cron/timezone');
  });
});
