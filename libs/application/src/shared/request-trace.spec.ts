import type { JobRecord } from '@lemo/domain';
import { currentRequestId, runWithRequestContext } from '@lemo/platform-observability';
import { runInJobContext, withRequestId, withRequestIdHeader } from './request-trace';

const job = (data: unknown) => ({ queue: 'default', job_id: '42', data }) as JobRecord<unknown>;

describe('request trace', () => {
  it("adds the current request's id to job data and message headers, and nothing outside a request", () => {
    expect(withRequestId({ tenant_id: 'acme' })).toEqual({ tenant_id: 'acme' });
    expect(withRequestIdHeader({ event_type: 'behavior' })).toEqual({ event_type: 'behavior' });
    runWithRequestContext({ requestId: 'req-1' }, () => {
      expect(withRequestId({ tenant_id: 'acme' })).toEqual({ tenant_id: 'acme', request_id: 'req-1' });
      expect(withRequestIdHeader({ event_type: 'behavior' })).toEqual({ event_type: 'behavior', request_id: 'req-1' });
    });
  });

  it('runs a job under the id of the request that queued it, else under its own id', async () => {
    expect(await runInJobContext(job({ tenant_id: 'acme', request_id: 'req-2' }), async () => currentRequestId())).toBe('req-2');
    expect(runInJobContext(job({ tenant_id: 'acme' }), () => currentRequestId())).toBe('job:default:42');
    expect(runInJobContext(job(null), () => currentRequestId())).toBe('job:default:42');
  });
});
