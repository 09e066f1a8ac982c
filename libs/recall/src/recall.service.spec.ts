import type { RecallStrategyConfig, ScoreNormalization } from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import { strategyConfig, userContext } from '../testing';
import type { Candidate } from './candidate';
import { RecallRegistry } from './recall.registry';
import { RecallStrategy } from './recall-strategy';
import { RecallService } from './recall.service';

/** Returns fixed candidates after an optional delay, or throws; records what it was given. */
class StubStrategy extends RecallStrategy {
  readonly seen: Array<{ config: RecallStrategyConfig; exclude: string[] }> = [];

  constructor(
    readonly name: string,
    private readonly result: Array<[string, number]> | Error,
  ) {
    super();
  }

  async recall(_ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]> {
    this.seen.push({ config, exclude: [...exclude] });
    if (this.result instanceof Error) throw this.result;
    return this.result.map(([item_id, score]) => ({ item_id, score, strategy: this.name, reason: `${this.name} reason for ${item_id}` }));
  }
}

function service(...strategies: RecallStrategy[]): RecallService {
  return new RecallService(new RecallRegistry(strategies));
}

const recallConfig = (strategies: RecallStrategyConfig[], total_limit = 500, normalization: ScoreNormalization = 'max') => ({ strategies, total_limit, normalization });

describe('RecallService', () => {
  it('merges by weighted sum, de-duplicates and keeps the biggest contributor’s reason', async () => {
    const cf = new StubStrategy('cf', [
      ['x', 1],
      ['y', 0.5],
    ]);
    const hot = new StubStrategy('hot', [
      ['y', 1],
      ['z', 0.9],
    ]);
    const result = await service(cf, hot).recall(
      userContext(),
      recallConfig([strategyConfig('cf', { weight: 1 }), strategyConfig('hot', { weight: 0.4 })]),
      new Set(),
    );

    expect(result.candidates).toEqual([
      { item_id: 'x', score: 1, strategy: 'cf', reason: 'cf reason for x', strategies: ['cf'] },
      { item_id: 'y', score: expect.closeTo(0.9, 12), strategy: 'cf', reason: 'cf reason for y', strategies: ['cf', 'hot'] },
      { item_id: 'z', score: expect.closeTo(0.36, 12), strategy: 'hot', reason: 'hot reason for z', strategies: ['hot'] },
    ]);
    expect(Object.keys(result.timings).sort()).toEqual(['cf', 'hot']);
    expect(result.failures).toEqual({});
  });

  it('maps each strategy\'s scores by recall.normalization before weighting (min-max, rank)', async () => {
    // Scores as served (best = 1): cf spans [0.2, 1], hot barely varies.
    const cf = new StubStrategy('cf', [
      ['a', 1],
      ['b', 0.6],
      ['c', 0.2],
    ]);
    const hot = new StubStrategy('hot', [
      ['c', 1],
      ['d', 0.98],
      ['a', 0.96],
    ]);
    const strategies = [strategyConfig('cf', { weight: 1 }), strategyConfig('hot', { weight: 1 })];
    const scores = async (how: ScoreNormalization) =>
      Object.fromEntries((await service(cf, hot).recall(userContext(), recallConfig(strategies, 500, how), new Set())).candidates.map((c) => [c.item_id, c.score]));
    // max: as served.
    expect(await scores('max')).toEqual({ a: expect.closeTo(1.96, 12), c: expect.closeTo(1.2, 12), d: expect.closeTo(0.98, 12), b: expect.closeTo(0.6, 12) });
    // minmax: cf (1, 0.5, 0), hot (1, 0.5, 0) — hot's near-ties now spread over [0, 1].
    expect(await scores('minmax')).toEqual({ a: expect.closeTo(1, 12), c: expect.closeTo(1, 12), b: expect.closeTo(0.5, 12), d: expect.closeTo(0.5, 12) });
    // rank: 1 − r/3 per list.
    expect(await scores('rank')).toEqual({ a: expect.closeTo(4 / 3, 12), c: expect.closeTo(4 / 3, 12), b: expect.closeTo(2 / 3, 12), d: expect.closeTo(2 / 3, 12) });
  });

  it('drops excluded ids even when a strategy returns them, and passes the exclusion down', async () => {
    const leaky = new StubStrategy('leaky', [
      ['seen', 1],
      ['fresh', 0.5],
    ]);
    const result = await service(leaky).recall(userContext(), recallConfig([strategyConfig('leaky')]), new Set(['seen']));
    expect(result.candidates.map((c) => c.item_id)).toEqual(['fresh']);
    expect(leaky.seen[0].exclude).toEqual(['seen']);
  });

  it('cuts to total_limit best first and each strategy to its own limit', async () => {
    const many = new StubStrategy(
      'many',
      Array.from({ length: 10 }, (_, i): [string, number] => [`m${i}`, 1 - i / 10]),
    );
    const other = new StubStrategy('other', [['o', 0.95]]);
    const result = await service(many, other).recall(
      userContext(),
      recallConfig([strategyConfig('many', { limit: 4 }), strategyConfig('other')], 3),
      new Set(),
    );
    expect(result.candidates.map((c) => c.item_id)).toEqual(['m0', 'o', 'm1']);
    const unlimited = await service(many).recall(userContext(), recallConfig([strategyConfig('many', { limit: 4 })]), new Set());
    expect(unlimited.candidates).toHaveLength(4);
  });

  it('drops a strategy that overruns its budget and still serves the others', async () => {
    // A strategy that never answers: if the merge waited for it, this test would time out instead of passing.
    class Hanging extends RecallStrategy {
      readonly name = 'slow';
      recall(): Promise<Candidate[]> {
        return new Promise<Candidate[]>(() => undefined);
      }
    }
    const fast = new StubStrategy('fast', [['quick', 1]]);
    const result = await service(new Hanging(), fast).recall(
      userContext(),
      recallConfig([strategyConfig('slow', { timeout_ms: 20 }), strategyConfig('fast', { timeout_ms: 2000 })]),
      new Set(),
    );
    expect(result.candidates.map((c) => c.item_id)).toEqual(['quick']);
    expect(result.failures).toEqual({ slow: 'timed out after 20 ms' });
    expect(result.timings.slow).toBeGreaterThanOrEqual(19);
  });

  it('treats a result that arrives after the budget as an overrun even if the timer could not fire', async () => {
    class Blocking extends RecallStrategy {
      readonly name = 'blocking';
      async recall(): Promise<Candidate[]> {
        const until = performance.now() + 30;
        while (performance.now() < until) {
          // Busy-wait: a CPU-bound strategy that never yields to the timer.
        }
        return [{ item_id: 'b', score: 1, strategy: this.name, reason: 'r' }];
      }
    }
    const result = await service(new Blocking()).recall(userContext(), recallConfig([strategyConfig('blocking', { timeout_ms: 10 })]), new Set());
    expect(result.candidates).toEqual([]);
    expect(result.failures.blocking).toBe('timed out after 10 ms');
  });

  it('reports a throwing strategy and an unknown name as failures; skips weight-0 strategies', async () => {
    const broken = new StubStrategy('broken', new Error('store down'));
    const ok = new StubStrategy('ok', [['a', 1]]);
    const idle = new StubStrategy('idle', [['never', 1]]);
    const result = await service(broken, ok, idle).recall(
      userContext(),
      recallConfig([strategyConfig('broken'), strategyConfig('ok'), strategyConfig('ghost'), strategyConfig('idle', { weight: 0 })]),
      new Set(),
    );
    expect(result.candidates.map((c) => c.item_id)).toEqual(['a']);
    expect(result.failures).toEqual({ broken: 'store down', ghost: "unknown recall strategy 'ghost'" });
    expect(idle.seen).toHaveLength(0);
    expect(Object.keys(result.timings).sort()).toEqual(['broken', 'ok']);
  });

  it('clamps out-of-range strategy scores and ignores NaN', async () => {
    const wild = new StubStrategy('wild', [
      ['big', 7],
      ['neg', -2],
      ['nan', Number.NaN],
    ]);
    const result = await service(wild).recall(userContext(), recallConfig([strategyConfig('wild', { weight: 2 })]), new Set());
    expect(result.candidates.map((c) => [c.item_id, c.score])).toEqual([
      ['big', 2],
      ['neg', 0],
    ]);
  });

  it('keys a strategy listed twice separately and counts both weights', async () => {
    const twice = new StubStrategy('twice', [['a', 0.5]]);
    const result = await service(twice).recall(userContext(), recallConfig([strategyConfig('twice'), strategyConfig('twice', { weight: 3 })]), new Set());
    expect(Object.keys(result.timings).sort()).toEqual(['twice', 'twice#2']);
    expect(result.candidates[0].score).toBeCloseTo(2, 12);
  });

  it('runs strategies in parallel', async () => {
    // Each answers only once the other has started: run one after the other, the first would overrun its budget.
    const started = new Map<string, () => void>();
    const bothStarted = ['a', 'b'].map((name) => new Promise<void>((resolve) => started.set(name, resolve)));
    class Rendezvous extends RecallStrategy {
      constructor(readonly name: string) {
        super();
      }
      async recall(): Promise<Candidate[]> {
        started.get(this.name)?.();
        await Promise.all(bothStarted);
        return [{ item_id: `${this.name}-item`, score: 1, strategy: this.name, reason: 'met' }];
      }
    }
    const result = await service(new Rendezvous('a'), new Rendezvous('b')).recall(
      userContext(),
      recallConfig([strategyConfig('a', { timeout_ms: 2000 }), strategyConfig('b', { timeout_ms: 2000 })]),
      new Set(),
    );
    expect(result.failures).toEqual({});
    expect(result.candidates.map((c) => c.item_id).sort()).toEqual(['a-item', 'b-item']);
  });
});

describe('RecallRegistry', () => {
  it('refuses two strategies with one name', () => {
    expect(() => new RecallRegistry([new StubStrategy('x', []), new StubStrategy('x', [])])).toThrow("two recall strategies are named 'x'");
  });
});
