import type { TestApp } from './test-app';

export interface TenantFixture {
  tenantId: string;
  apiKey: string;
  /** Headers for supertest's `.set()`. */
  auth: { 'X-Api-Key': string };
}

/** Creates a tenant and an admin-scoped key through the platform admin API. */
export async function createTenant(testApp: TestApp, tenantId: string, scopes: string[] = ['admin']): Promise<TenantFixture> {
  await testApp.http.post('/api/v1/tenants').set('X-Api-Key', testApp.adminKey).send({ tenant_id: tenantId, name: `Tenant ${tenantId}` }).expect(201);
  const key = await testApp.http.post(`/api/v1/tenants/${tenantId}/api-keys`).set('X-Api-Key', testApp.adminKey).send({ name: 'test', scopes }).expect(201);
  return { tenantId, apiKey: key.body.api_key, auth: { 'X-Api-Key': key.body.api_key } };
}

/** Polls `probe` until it returns true, for work done by background jobs. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
