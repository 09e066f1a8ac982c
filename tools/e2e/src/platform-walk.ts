import { CLUSTER_ADMIN_KEY, eventually } from '@lemo/testing';
import { generateSyntheticDataset, type SyntheticDataset } from '@lemo/synthetic';

/**
 * The product walk both end-to-end suites run against a live REST API (the
 * api process on the cluster profile, the all-in-one on the embedded one):
 * a tenant and a scenario ranked by a learned model, a planted-taste catalogue
 * and its events, a training run, and personalised recommendations. Each
 * profile brings its own way in for items (Kafka or REST) and its own checks
 * of the backing stores.
 */
export const TENANT = 'acme';
export const SCENARIO = 'shop';

export interface RecommendedItem {
  item_id: string;
  score: number;
  reason: string;
}

export interface Recommendation {
  items: RecommendedItem[];
  request_id: string;
  debug?: { ranker: string; ranked_by?: { ranker: string; version: string; served_by: string; fallback?: string } };
}

export interface JobView {
  job_id: string;
  queue: string;
  status: string;
  failed_reason: string | null;
  result: unknown;
}

export class RestClient {
  auth: Record<string, string> = {};

  constructor(readonly baseUrl: string) {}

  async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = this.auth): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The call's body; any status ≥ 300 fails the test with the answer. */
  async ok<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = this.auth): Promise<T> {
    const answer = await this.call<T>(method, path, body, headers);
    if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}

/** Prints a step with the time since the suite began: the CI log then shows where the minutes go. */
export function stepLogger(suite: string): (what: string) => void {
  const started = Date.now();
  return (what) => process.stdout.write(`${suite}: ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

/** 12 planted tastes over 240 items; users with enough events for their taste to show. */
export const walkData = (): SyntheticDataset => generateSyntheticDataset({ seed: 21, items: 240, users: 150, events: 4000, scenarioId: SCENARIO });

/** Tenant, admin-scoped key, and a scenario ranked by the learned `lr` model (diversity off, so taste shows). */
export async function createTenantAndScenario(api: RestClient): Promise<void> {
  const admin = { 'X-Api-Key': CLUSTER_ADMIN_KEY };
  await api.ok('POST', '/api/v1/tenants', { tenant_id: TENANT, name: 'Acme' }, admin);
  const key = await api.ok<{ api_key: string }>('POST', `/api/v1/tenants/${TENANT}/api-keys`, { name: 'e2e', scopes: ['admin'] }, admin);
  api.auth = { 'X-Api-Key': key.api_key };
  const config = { rank: { model: 'lr' }, rerank: { diversity: { enabled: false } } };
  await api.ok('POST', '/api/v1/scenarios', { scenario_id: SCENARIO, name: 'Shop', scenario_type: 'ecommerce', config });
}

export async function trackEvents(api: RestClient, data: SyntheticDataset): Promise<void> {
  for (let i = 0; i < data.events.length; i += 1000) {
    const answer = await api.ok<{ accepted: number; rejected: number }>('POST', '/api/v1/behaviors/track/batch', { events: data.events.slice(i, i + 1000) });
    if (answer.rejected !== 0) throw new Error(`events rejected: ${JSON.stringify(answer)}`);
  }
}

/** Trains `algorithm` through the REST API and waits for the job (run by whichever process takes the queue). */
export async function trainAndWait(api: RestClient, algorithm: string, timeoutMs = 300_000): Promise<JobView> {
  const queued = await api.ok<JobView>('POST', '/api/v1/models/train', { scenario_id: SCENARIO, algorithm });
  let job: JobView | undefined;
  await eventually(
    async () => {
      job = await api.ok<JobView>('GET', `/api/v1/models/training/${encodeURIComponent(queued.job_id)}`);
      if (job.status === 'failed') throw new Error(`training ${algorithm} failed: ${job.failed_reason}`);
      return job.status === 'completed';
    },
    timeoutMs,
    500,
  );
  if (!job) throw new Error(`training ${algorithm}: no job status read`);
  return job;
}

export const recommend = (api: RestClient, userId: string, count = 10): Promise<Recommendation> =>
  api.ok<Recommendation>('POST', '/api/v1/recommend', { scenario_id: SCENARIO, user_id: userId, count, debug: true });

/** Users with at least 8 events: their taste is clear, and the catalogue still has unseen items of it. */
export const typicalUsers = (data: SyntheticDataset, how = 20): string[] =>
  data.userIds.filter((user) => data.events.filter((event) => event.user_id === user).length >= 8).slice(0, how);

/**
 * Share of recommended items in the user's planted category over `users`,
 * asserting on the way that no list holds an item its user already
 * interacted with and every item gives a reason.
 */
export async function tasteShare(api: RestClient, data: SyntheticDataset, users: readonly string[]): Promise<number> {
  let hits = 0;
  let total = 0;
  for (const user of users) {
    const seen = new Set(data.events.filter((event) => event.user_id === user).map((event) => event.item_id));
    const { items } = await recommend(api, user);
    for (const item of items) {
      if (seen.has(item.item_id)) throw new Error(`${user} was recommended ${item.item_id}, which they already interacted with`);
      if (!item.reason) throw new Error(`${item.item_id} has no reason`);
      total += 1;
      if (data.itemCategory.get(item.item_id) === data.userCategory.get(user)) hits += 1;
    }
  }
  return total === 0 ? 0 : hits / total;
}

/**
 * Freshness of behaviour: the user clicks the first item of their list; how
 * long until their next recommendation no longer offers it (ms). The API
 * applies the event to serving before it answers, so this is one round trip.
 */
export async function eventFreshnessMs(api: RestClient, user: string): Promise<number> {
  const before = await recommend(api, user);
  const clicked = before.items[0].item_id;
  const started = Date.now();
  await api.ok('POST', '/api/v1/behaviors/track', { event_id: `fresh-${user}-${started}`, user_id: user, item_id: clicked, scenario_id: SCENARIO, action_type: 'click' });
  await eventually(async () => !(await recommend(api, user)).items.some((item) => item.item_id === clicked), 30_000, 50);
  return Date.now() - started;
}

/** How long from `publish()` until the new item is served by the latest list (ms). */
export async function itemFreshnessMs(api: RestClient, itemId: string, publish: () => Promise<void>): Promise<number> {
  const started = Date.now();
  await publish();
  await eventually(
    async () => {
      const latest = await api.ok<{ items: Array<{ item_id: string }> }>('GET', `/api/v1/recommend/latest?scenario_id=${SCENARIO}&count=20`);
      return latest.items.some((item) => item.item_id === itemId);
    },
    60_000,
    50,
  );
  return Date.now() - started;
}

/** A brand-new item of the walk's catalogue shape, published now. */
export const freshItem = (itemId: string) => ({
  item_id: itemId,
  metadata: { title: `Fresh arrival ${itemId}`, description: 'published during the end-to-end run', category: 'fresh', publish_time: new Date().toISOString() },
});
