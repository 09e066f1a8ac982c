import {
  DomainError,
  type AnalyticsStore,
  type AssignmentRecord,
  type Experiment,
  type ExperimentFilter,
  type ExperimentRepository,
  type ExperimentStat,
  type Page,
  type PageRequest,
  type UserRepository,
} from '@lemo/domain';
import type { AppLogger } from '@lemo/platform-observability';
import type { ScenarioLookup } from '../scenarios/scenario-lookup';
import type { ScenariosUseCase } from '../scenarios/scenarios.use-case';
import { assignToExperiment, experimentGroup, HOLDOUT_GROUP } from './bucketing';
import { ExperimentsUseCase, RUNNING_EXPERIMENTS_TTL_MS } from './experiments.use-case';
import { createExperimentSchema } from './experiment-requests';

/** In-memory experiments that count reads and can be made to fail, as a document store outage would. */
class FakeExperiments {
  readonly docs = new Map<string, Experiment>();
  listCalls = 0;
  failing = false;

  async create(doc: Experiment): Promise<void> {
    if (this.docs.has(doc.experiment_id)) throw DomainError.alreadyExists('experiment', doc.experiment_id);
    this.docs.set(doc.experiment_id, doc);
  }
  async get(tenantId: string, id: string): Promise<Experiment | null> {
    const doc = this.docs.get(id);
    return doc && doc.tenant_id === tenantId ? doc : null;
  }
  async list(tenantId: string, filter: Partial<ExperimentFilter>, page: PageRequest): Promise<Page<Experiment>> {
    this.listCalls += 1;
    if (this.failing) throw new Error('connection refused');
    const items = [...this.docs.values()].filter(
      (doc) => doc.tenant_id === tenantId && (!filter.scenario_id || doc.scenario_id === filter.scenario_id) && (!filter.status || doc.status === filter.status),
    );
    return { items: items.slice((page.page - 1) * page.pageSize, page.page * page.pageSize), total: items.length, page: page.page, pageSize: page.pageSize };
  }
  async update(doc: Experiment): Promise<void> {
    this.docs.set(doc.experiment_id, doc);
  }
  async delete(_tenantId: string, id: string): Promise<boolean> {
    return this.docs.delete(id);
  }
}

const silentLogger = { warn: jest.fn(), debug: jest.fn(), info: jest.fn(), error: jest.fn() } as unknown as AppLogger;

function setup(stats: ExperimentStat[] = []) {
  const repo = new FakeExperiments();
  const recorded: AssignmentRecord[][] = [];
  let failWrites = 0;
  const recordAssignments = async (batch: readonly AssignmentRecord[]) => {
    if (failWrites > 0) {
      failWrites -= 1;
      throw new DomainError('UNAVAILABLE', 'analytics store down');
    }
    recorded.push([...batch]);
  };
  const useCase = new ExperimentsUseCase(
    repo as unknown as ExperimentRepository,
    { require: async () => ({}) } as unknown as ScenarioLookup,
    { validate: async () => ({ valid: true, errors: [], warnings: [] }) } as unknown as ScenariosUseCase,
    { get: async () => null } as unknown as UserRepository,
    { experimentStats: async () => stats, recordAssignments } as unknown as AnalyticsStore,
    silentLogger,
  );
  return { repo, useCase, recorded, failNextWrites: (n: number) => (failWrites = n) };
}

const request = (id: string, extra: Record<string, unknown> = {}) =>
  createExperimentSchema.parse({
    experiment_id: id,
    scenario_id: 'feed',
    name: id,
    variants: [
      { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true },
      { variant_id: 'treatment', name: 'Treatment', traffic_percent: 50, config_overrides: { ranking: { model: 'ctr_v2' } } },
    ],
    ...extra,
  });

describe('ExperimentsUseCase.resolveForServing', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns null while the scenario has no running experiment', async () => {
    const { useCase } = setup();
    await useCase.create('t1', request('draft_only'));
    expect(await useCase.resolveForServing('t1', 'feed', 'u1')).toBeNull();
  });

  it('gives each user the variant, group and overrides that assignToExperiment gives, holdout users none', async () => {
    const { useCase, repo } = setup();
    await useCase.create('t1', request('exp', { holdout_percent: 10 }));
    await useCase.transition('t1', 'exp', 'start');
    const stored = repo.docs.get('exp') as Experiment;
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const userId = `user-${i}`;
      const served = await useCase.resolveForServing('t1', 'feed', userId);
      const expected = assignToExperiment(stored, { user_id: userId, attributes: {} });
      expect(served?.experiment_group).toBe(experimentGroup(expected));
      expect(served?.config_overrides).toEqual(expected.outcome === 'variant' ? expected.config_overrides : {});
      expect(served?.variant_id).toBe(expected.outcome === 'variant' ? expected.variant_id : null);
      seen.add(served?.experiment_group ?? '');
    }
    expect(seen).toEqual(new Set(['control', 'treatment', HOLDOUT_GROUP]));
  });

  it('records each served assignment once per process, in batches off the request, retrying a failed write', async () => {
    const { useCase, recorded, failNextWrites } = setup();
    await useCase.create('t1', request('exp', { holdout_percent: 10 }));
    await useCase.transition('t1', 'exp', 'start');
    failNextWrites(1);
    const groups = new Map<string, string>();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 300; i++) groups.set(`user-${i}`, (await useCase.resolveForServing('t1', 'feed', `user-${i}`))?.experiment_group ?? '');
    }
    // Nothing is written while serving: the queue waits for its flush.
    expect(recorded).toEqual([]);
    await useCase.flushAssignments();
    expect(recorded).toEqual([]);
    await useCase.flushAssignments();
    const written = recorded.flat();
    expect(written).toHaveLength(300);
    for (const record of written) {
      expect(record).toMatchObject({ tenant_id: 't1', experiment_id: 'exp', variant_id: groups.get(record.user_id) });
      expect(Number.isInteger(record.assigned_at)).toBe(true);
    }
    expect(new Set(written.map((record) => record.variant_id))).toEqual(new Set(['control', 'treatment', HOLDOUT_GROUP]));
    await useCase.onApplicationShutdown();
  });

  it('applies targeting to the attributes it is given', async () => {
    const { useCase } = setup();
    await useCase.create('t1', request('exp', { targeting: [{ field: 'country', op: 'eq', value: 'de' }] }));
    await useCase.transition('t1', 'exp', 'start');
    expect(await useCase.resolveForServing('t1', 'feed', 'u1', { country: 'fr' })).toBeNull();
    expect(await useCase.resolveForServing('t1', 'feed', 'u1', { country: 'de' })).toMatchObject({ experiment_id: 'exp' });
  });

  it('reads running experiments once per TTL, and again right after a local start or stop', async () => {
    const { useCase, repo } = setup();
    await useCase.create('t1', request('exp'));
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    expect(await useCase.resolveForServing('t1', 'feed', 'u1')).toBeNull();
    const afterFirstRead = repo.listCalls;
    await useCase.resolveForServing('t1', 'feed', 'u2');
    expect(repo.listCalls).toBe(afterFirstRead);

    // A start in this process is seen at once (its cache entry is dropped) ...
    await useCase.transition('t1', 'exp', 'start');
    expect(await useCase.resolveForServing('t1', 'feed', 'u1')).toMatchObject({ experiment_id: 'exp' });
    const afterStart = repo.listCalls;

    // ... one made elsewhere within the TTL: stopped in the store behind the cache's back.
    repo.docs.set('exp', { ...(repo.docs.get('exp') as Experiment), status: 'completed' });
    now += RUNNING_EXPERIMENTS_TTL_MS - 1;
    expect(await useCase.resolveForServing('t1', 'feed', 'u1')).toMatchObject({ experiment_id: 'exp' });
    expect(repo.listCalls).toBe(afterStart);
    now += 2;
    expect(await useCase.resolveForServing('t1', 'feed', 'u1')).toBeNull();
    expect(repo.listCalls).toBe(afterStart + 1);
  });

  it('keeps serving with the last list when the store fails, and with none when it never had one', async () => {
    const { useCase, repo } = setup();
    await useCase.create('t1', request('exp'));
    await useCase.transition('t1', 'exp', 'start');
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const before = await useCase.resolveForServing('t1', 'feed', 'u1');
    repo.failing = true;
    now += RUNNING_EXPERIMENTS_TTL_MS + 1;
    expect(await useCase.resolveForServing('t1', 'feed', 'u1')).toEqual(before);
    expect(await useCase.resolveForServing('t1', 'other_scenario', 'u1')).toBeNull();
  });

  it('keeps tenants apart', async () => {
    const { useCase } = setup();
    await useCase.create('t1', request('exp'));
    await useCase.transition('t1', 'exp', 'start');
    expect(await useCase.resolveForServing('t2', 'feed', 'u1')).toBeNull();
  });
});

describe('ExperimentsUseCase lifecycle and results', () => {
  it('refuses moves the lifecycle does not allow, and overlapping starts, with CONFLICT', async () => {
    const { useCase } = setup();
    await useCase.create('t1', request('a'));
    await useCase.create('t1', request('b'));
    await expect(useCase.transition('t1', 'a', 'pause')).rejects.toMatchObject({ code: 'CONFLICT' });
    await useCase.transition('t1', 'a', 'start');
    await expect(useCase.transition('t1', 'b', 'start')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining("'a'") });
    await expect(useCase.update('t1', 'a', { variants: request('x').variants })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(useCase.delete('t1', 'a')).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(useCase.get('t2', 'a')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('turns the store\'s (group, action) counts into variant results', async () => {
    const stats: ExperimentStat[] = [
      { experiment_group: 'control', action_type: 'click', events: 100, users: 80 },
      { experiment_group: 'control', action_type: 'impression', events: 2000, users: 1000 },
      { experiment_group: 'control', action_type: 'purchase', events: 10, users: 9 },
      { experiment_group: 'treatment', action_type: 'click', events: 150, users: 120 },
      { experiment_group: 'treatment', action_type: 'impression', events: 2100, users: 1010 },
      { experiment_group: 'treatment', action_type: 'order', events: 30, users: 25 },
    ];
    const { useCase } = setup(stats);
    await useCase.create('t1', request('exp'));
    const purchase = await useCase.results('t1', 'exp', { conversion_action: 'purchase' });
    expect(purchase.variants.map((v) => [v.variant_id, v.users, v.impressions, v.clicks, v.conversions])).toEqual([
      ['control', 1000, 2000, 100, 10],
      ['treatment', 1010, 2100, 150, 0],
    ]);
    expect(purchase.variants[1].metrics.user_click_rate?.value).toBeCloseTo(120 / 1010, 12);
    const order = await useCase.results('t1', 'exp', { conversion_action: 'order' });
    expect(order.variants.map((v) => v.conversions)).toEqual([0, 30]);
    expect(order.range.to).toBeGreaterThan(order.range.from);
  });
});
