import { currentRequestId, requestIdFrom, runWithRequestContext } from './request-context';

describe('request context', () => {
  it('keeps the request id across awaits inside the run', async () => {
    const seen = await runWithRequestContext({ requestId: 'req-1' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentRequestId();
    });
    expect(seen).toBe('req-1');
    expect(currentRequestId()).toBeUndefined();
  });

  it('accepts a sane caller id and replaces a hostile one', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    const minted = requestIdFrom('bad id\nwith newline');
    expect(minted).toMatch(/^[0-9a-f-]{36}$/);
  });
});
