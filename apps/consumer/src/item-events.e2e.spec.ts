import { BackgroundJobsModule, ItemsUseCase, JOBS, ScenariosUseCase, TenantAdminUseCase, type ItemVectorsJob } from '@lemo/application';
import {
  DomainError,
  EventBus,
  ItemRepository,
  JobQueue,
  VectorIndex,
  createScenarioSchema,
  createTenantSchema,
  topicFor,
  type BusMessage,
  type ItemEventDeadLetter,
  type ItemEventResult,
} from '@lemo/domain';
import { Metrics } from '@lemo/platform-observability';
import { createTestApp, eventually, type TestApp } from '@lemo/testing';
import { ConsumerModule } from './index';

jest.setTimeout(60_000);

/**
 * The consumer app on the embedded profile: item events published to the
 * in-process bus are applied through the item use case, exactly as REST
 * writes are (vectors job included); what cannot be applied lands in the
 * tenant's dead-letter topic with its reason; a failed write is delivered
 * again and applied once.
 */
describe('consumer: item events (embedded)', () => {
  let t: TestApp;
  let bus: EventBus;
  let items: ItemsUseCase;
  const deadLetters: Array<BusMessage<ItemEventDeadLetter>> = [];
  const results: Array<BusMessage<ItemEventResult>> = [];

  const topic = (tenantId: string) => topicFor(t.config.topics.items, tenantId);
  const publish = (tenantId: string, values: unknown[], headers: Record<string, string> = {}) =>
    bus.publish(values.map((value, i) => ({ topic: topic(tenantId), key: `k${i}`, value, headers })));
  const lettersOf = (tenantId: string) => deadLetters.filter((m) => m.topic === `${topic(tenantId)}.dlq`);
  const resultsOf = (tenantId: string) => results.filter((m) => m.topic === `${topic(tenantId)}.results`);
  const metric = async (name: string) => (await t.app.get(Metrics).registry.getSingleMetric(name)!.get()).values;

  async function tenantWithShop(tenantId: string, maxItems?: number): Promise<void> {
    await t.app
      .get(TenantAdminUseCase)
      .createTenant(createTenantSchema.parse({ tenant_id: tenantId, name: tenantId, ...(maxItems && { quotas: { max_items: maxItems } }) }));
    await t.app.get(ScenariosUseCase).create(tenantId, createScenarioSchema.parse({ scenario_id: 'shop', name: 'Shop', scenario_type: 'ecommerce' }));
  }

  beforeAll(async () => {
    t = await createTestApp({ modules: [ConsumerModule, BackgroundJobsModule], env: { ITEM_EVENTS_PUBLISH_RESULTS: 'true' } });
    bus = t.app.get(EventBus);
    items = t.app.get(ItemsUseCase);
    await bus.subscribe<ItemEventDeadLetter>(/\.dlq$/, 'test-dead-letters', async (messages) => void deadLetters.push(...messages));
    await bus.subscribe<ItemEventResult>(/\.results$/, 'test-results', async (messages) => void results.push(...messages));
  });

  afterAll(async () => {
    await t?.close();
  });

  it('creates, merges, replaces and deletes items of a tenant whose topic appeared after the start, and each written item gets its vectors job', async () => {
    await tenantWithShop('acme');
    await publish(
      'acme',
      [
        {
          operation: 'create',
          scenario_id: 'shop',
          items: [
            { item_id: 'a', metadata: { title: 'red running shoes', category: 'shoes', price: 80 } },
            { item_id: 'b', metadata: { title: 'blue rain jacket', category: 'coats' } },
            { item_id: 'c', metadata: { title: 'green wool hat' } },
            { item_id: 'd', metadata: { title: 'yellow scarf' } },
          ],
        },
        { operation: 'update', scenario_id: 'shop', tenant_id: 'acme', item: { item_id: 'a', metadata: { price: 60 } } },
        { operation: 'update', scenario_id: 'shop', mode: 'replace', items: [{ item_id: 'b', metadata: { title: 'navy rain jacket' }, status: 'inactive' }] },
        { operation: 'delete', scenario_id: 'shop', item_id: 'c' },
        { operation: 'delete', scenario_id: 'shop', item_ids: ['d'], hard: true },
      ],
      { request_id: 'req-acme-1' },
    );

    await eventually(async () => (await items.get('acme', 'shop', 'c').catch(() => null))?.status === 'deleted');
    // Merge kept the other keys; replace dropped them; soft delete kept the record; hard delete removed it.
    expect((await items.get('acme', 'shop', 'a')).metadata).toEqual({ title: 'red running shoes', category: 'shoes', price: 60 });
    expect(await items.get('acme', 'shop', 'b')).toEqual(expect.objectContaining({ status: 'inactive', metadata: { title: 'navy rain jacket' } }));
    await expect(items.get('acme', 'shop', 'd')).rejects.toThrow(/not found/);

    // The same item_vectors jobs a REST write enqueues: one per write, naming the written items…
    const jobs = (await t.app.get(JobQueue).list(JOBS.itemVectors.queue, { limit: 100 })).filter((job) => (job.data as ItemVectorsJob).tenant_id === 'acme');
    expect(jobs.map((job) => job.name)).toEqual(expect.arrayContaining([JOBS.itemVectors.name]));
    expect(new Set(jobs.flatMap((job) => (job.data as ItemVectorsJob).item_ids))).toEqual(new Set(['a', 'b', 'c', 'd']));
    // …which the worker turns into vectors.
    const vectors = t.app.get(VectorIndex);
    await eventually(async () => (await vectors.get('acme', 'shop', ['a'])).has('a'));

    expect(lettersOf('acme')).toEqual([]);
    await eventually(async () => resultsOf('acme').length === 5);
    expect(resultsOf('acme').map((m) => [m.value.operation, m.value.total, m.value.succeeded, m.value.failed])).toEqual([
      ['create', 4, 4, 0],
      ['update', 1, 1, 0],
      ['update', 1, 1, 0],
      ['delete', 1, 1, 0],
      ['delete', 1, 1, 0],
    ]);
    expect(resultsOf('acme')[0].headers).toEqual({ request_id: 'req-acme-1' });
  });

  it('dead-letters what cannot be applied, with the reason and the field, and applies the rest of the batch', async () => {
    await tenantWithShop('globex', 3);
    await tenantWithShop('initech');
    await publish(
      'globex',
      [
        'not json {',
        { operation: 'create', scenario_id: 'shop', tenant_id: 'initech', items: [{ item_id: 'stolen' }] },
        { operation: 'create', scenario_id: 'nowhere', items: [{ item_id: 'x' }] },
        { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'g1' }, { item_id: 'g2', metadata: { price: -1 } }, { item_id: 'g3' }] },
        { operation: 'update', scenario_id: 'shop', item: { item_id: 'ghost', metadata: { price: 1 } } },
        { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'q1' }, { item_id: 'q2' }] },
        { operation: 'upsert', scenario_id: 'shop', items: [{ item_id: 'y' }] },
        { operation: 'update', scenario_id: 'shop', item: { item_id: 'g1', status: 'inactive' } },
      ],
      { request_id: 'req-globex-1' },
    );

    await eventually(async () => resultsOf('globex').length === 8);
    const letters = lettersOf('globex');
    expect(letters.map((m) => [m.headers.dlq_reason, m.value.reason, m.value.error])).toEqual([
      ['invalid_message', 'invalid_message', '(message): must be a JSON object, got text that is not JSON'],
      ['tenant_mismatch', 'tenant_mismatch', `tenant_id: "initech" is not the tenant of the topic ('globex')`],
      ['scenario_not_found', 'scenario_not_found', "scenario_id: scenario 'nowhere' not found"],
      ['items_failed', 'items_failed', 'items.1.metadata.price: price must be a non-negative number'],
      ['items_failed', 'items_failed', "item.item_id: item 'ghost' not found"],
      ['rejected', 'rejected', 'item quota of 3 reached (2 stored)'],
      ['invalid_message', 'invalid_message', 'operation: operation must be one of create, update, delete'],
    ]);
    // The original travels with it (as text when it was not JSON), with the source and its headers.
    expect(letters[0].value).toEqual(
      expect.objectContaining({ original: 'not json {', source: { topic: topic('globex'), key: 'k0', headers: { request_id: 'req-globex-1' } } }),
    );
    expect(letters[0].headers).toEqual(expect.objectContaining({ request_id: 'req-globex-1', dlq_source_topic: topic('globex') }));
    // A partly failed batch: only the failed items are dead-lettered (to fix and publish again); the others were written.
    expect(letters[3].value.failed_items).toEqual([
      { index: 1, item_id: 'g2', status: 'failed', error: 'items.1.metadata.price: price must be a non-negative number' },
    ]);
    expect(letters[3].value.original).toEqual({ operation: 'create', scenario_id: 'shop', items: [{ item_id: 'g2', metadata: { price: -1 } }] });

    // Nothing reached another tenant; the valid items and the last update (after every bad message) were applied.
    expect(await t.app.get(ItemRepository).getMany('initech', 'shop', ['stolen'])).toEqual([]);
    const stored = (await items.list('globex', 'shop', {}, { page: 1, pageSize: 10 })).items.sort((x, y) => x.item_id.localeCompare(y.item_id));
    expect(stored.map((i) => [i.item_id, i.status])).toEqual([
      ['g1', 'inactive'],
      ['g3', 'active'],
    ]);
    expect(resultsOf('globex')[3].value).toEqual(
      expect.objectContaining({
        total: 3,
        succeeded: 2,
        failed: 1,
        dead_letter_reason: 'items_failed',
        failures: [expect.objectContaining({ index: 1, item_id: 'g2' })],
      }),
    );

    const dead = (await metric('lemo_item_events_dead_letters_total')).filter((v) => v.labels.tenant === 'globex');
    expect(Object.fromEntries(dead.map((v) => [v.labels.reason, v.value]))).toEqual({
      invalid_message: 2,
      tenant_mismatch: 1,
      scenario_not_found: 1,
      items_failed: 2,
      rejected: 1,
    });
  });

  it('delivers a batch again when a write fails, and applies it once: no duplicate items, dead letters or counts', async () => {
    await tenantWithShop('umbrella');
    const repository = t.app.get(ItemRepository);
    const upsertMany = repository.upsertMany.bind(repository);
    let failures = 0;
    // The document store fails the first two writes (as during an outage), then recovers.
    const spy = jest.spyOn(repository, 'upsertMany').mockImplementation(async (written) => {
      if (written.some((item) => item.tenant_id === 'umbrella') && failures < 2) {
        failures++;
        throw new DomainError('UNAVAILABLE', 'document store unreachable');
      }
      return upsertMany(written);
    });
    try {
      await publish('umbrella', [
        { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'u1' }, { item_id: 'bad id!' }] },
        { operation: 'create', scenario_id: 'shop', items: [{ item_id: 'u2' }, { item_id: 'u3' }] },
        { operation: 'update', scenario_id: 'shop', item: { item_id: 'u1', metadata: { title: 'after' } } },
      ]);
      await eventually(async () => resultsOf('umbrella').length === 3);
    } finally {
      spy.mockRestore();
    }
    expect(failures).toBe(2);
    const stored = await items.list('umbrella', 'shop', {}, { page: 1, pageSize: 10 });
    expect(stored.total).toBe(3);
    expect(stored.items.find((i) => i.item_id === 'u1')?.metadata).toEqual({ title: 'after' });
    // Dead letters and results are published once the whole batch is written: once, however often it was delivered.
    expect(lettersOf('umbrella').map((m) => m.value.error)).toEqual(['items.1.item_id: item_id may contain only letters, digits and _ . : @ -']);
    expect(resultsOf('umbrella')).toHaveLength(3);

    const consumed = (await metric('lemo_item_events_consumed_total')).filter((v) => v.labels.tenant === 'umbrella');
    expect(Object.fromEntries(consumed.map((v) => [v.labels.outcome, v.value]))).toEqual({ partial: 1, applied: 2 });
    const written = (await metric('lemo_item_events_items_written_total')).filter((v) => v.labels.tenant === 'umbrella');
    expect(Object.fromEntries(written.map((v) => [v.labels.operation, v.value]))).toEqual({ create: 3, update: 1 });
    const failedBatches = (await metric('lemo_item_events_handler_duration_seconds')).find(
      (v) => (v as { metricName?: string }).metricName?.endsWith('_count') && v.labels.outcome === 'failed',
    );
    expect(failedBatches?.value).toBeGreaterThanOrEqual(2);
  });
});
