import { IngestionReports, type IngestionReport } from '@lemo/domain';
import { createTenant, type TenantFixture, type TestApp } from '@lemo/testing';
import { createApiTestApp } from './api-test-app';

jest.setTimeout(60_000);

/**
 * GET /api/v1/analytics/ingestion: the tenant's ingestion throughput reports
 * as the consumer writes them (recorded here through the port), newest first,
 * never another tenant's; a bad query is a 400 naming the field.
 */
describe('GET /api/v1/analytics/ingestion', () => {
  let t: TestApp;
  let acme: TenantFixture;
  let acmeReader: TenantFixture;
  let globex: TenantFixture;
  const minute = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
  const report = (tenantId: string, index: number, messages: number): IngestionReport => ({
    tenant_id: tenantId,
    source: 'item-events',
    instance: 'consumer-0:7',
    window_start: minute + index * 60_000,
    window_end: minute + (index + 1) * 60_000,
    messages,
    items: messages * 2,
    dead_letters: 1,
    failed_batches: 0,
    messages_per_second: messages / 60,
    items_per_second: (messages * 2) / 60,
  });

  beforeAll(async () => {
    t = await createApiTestApp();
    acme = await createTenant(t, 'acme');
    globex = await createTenant(t, 'globex');
    acmeReader = { ...acme, ...(await readKey('acme')) };
    const reports = t.app.get(IngestionReports);
    for (let i = 0; i < 22; i++) await reports.record(report('acme', i, 100 + i));
    await reports.record(report('globex', 9, 7));
  });

  afterAll(() => t?.close());

  async function readKey(tenantId: string): Promise<Pick<TenantFixture, 'apiKey' | 'auth'>> {
    const key = await t.http
      .post(`/api/v1/tenants/${tenantId}/api-keys`)
      .set('X-Api-Key', t.adminKey)
      .send({ name: 'reader', scopes: ['read'] })
      .expect(201);
    return { apiKey: key.body.api_key, auth: { 'X-Api-Key': key.body.api_key } };
  }

  it("returns the tenant's reports, newest first, at most `limit` (default 20), with a read-scoped key", async () => {
    const { body } = await t.http.get('/api/v1/analytics/ingestion?source=item-events&limit=3').set(acmeReader.auth).expect(200);
    expect(body.source).toBe('item-events');
    expect(body.reports).toEqual([report('acme', 21, 121), report('acme', 20, 120), report('acme', 19, 119)]);
    const all = await t.http.get('/api/v1/analytics/ingestion').set(acme.auth).expect(200);
    expect(all.body.source).toBeNull();
    expect(all.body.reports.map((r: IngestionReport) => r.messages)).toEqual(Array.from({ length: 20 }, (_, i) => 121 - i));
  });

  it("never shows a tenant another tenant's reports", async () => {
    const { body } = await t.http.get('/api/v1/analytics/ingestion').set(globex.auth).expect(200);
    expect(body.reports).toEqual([report('globex', 9, 7)]);
    const other = await createTenant(t, 'initech');
    expect((await t.http.get('/api/v1/analytics/ingestion').set(other.auth).expect(200)).body.reports).toEqual([]);
    await t.http.get('/api/v1/analytics/ingestion').expect(401);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=many', 'limit'],
    ['source=clickstream', 'source'],
    ['tenant_id=globex', 'tenant_id'],
  ])('answers ?%s with a 400 naming %s', async (query, field) => {
    const res = await t.http.get(`/api/v1/analytics/ingestion?${query}`).set(acme.auth).expect(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });
});
