import { Injectable } from '@nestjs/common';
import type { RecallStrategyConfig, ScenarioConfig } from '@lemo/domain';
import type { UserContext } from '@lemo/features';
import type { Candidate } from './candidate';
import { RecallRegistry } from './recall.registry';
import type { RecallStrategy } from './recall-strategy';
import { normalizedScore } from './scoring/normalize-scores';
import { ScoreAccumulator } from './scoring/score-accumulator';

export interface RecallResult {
  /** Merged candidates, best first, at most recall.total_limit, none excluded. */
  candidates: Candidate[];
  /** Wall time per strategy run, ms (keyed by name; `name#2` for a repeated name). */
  timings: Record<string, number>;
  /** Why a strategy served nothing: unknown name, error, or budget overrun. */
  failures: Record<string, string>;
}

type Outcome = { ok: true; candidates: Candidate[]; ms: number } | { ok: false; error: string; ms: number };

class BudgetExceeded extends Error {
  constructor(budgetMs: number) {
    super(`timed out after ${budgetMs} ms`);
  }
}

/**
 * Runs a scenario's recall strategies in parallel, each under its own time
 * budget, and merges what they return:
 *   score(item) = Σ_strategies weight × strategy score, each strategy's first
 *   `limit` scores mapped to [0, 1] by `recall.normalization`
 * de-duplicated by item id, keeping the reason of the biggest contributor.
 * A strategy that throws or overruns is reported in `failures` and the others
 * still serve; its late result is ignored. Weight-0 strategies are not run.
 */
@Injectable()
export class RecallService {
  constructor(private readonly registry: RecallRegistry) {}

  async recall(ctx: UserContext, recall: ScenarioConfig['recall'], exclude: ReadonlySet<string>): Promise<RecallResult> {
    const timings: Record<string, number> = {};
    const failures: Record<string, string> = {};
    const runs: Array<{ key: string; config: RecallStrategyConfig; outcome: Promise<Outcome> }> = [];
    recall.strategies.forEach((config, index) => {
      if (config.weight <= 0) return;
      const key = runKey(config.name, index, recall.strategies);
      const strategy = this.registry.get(config.name);
      if (!strategy) failures[key] = `unknown recall strategy '${config.name}'`;
      else runs.push({ key, config, outcome: runWithinBudget(strategy, ctx, config, exclude) });
    });

    const accumulator = new ScoreAccumulator();
    const served: Candidate[][] = [];
    const outcomes = await Promise.all(runs.map((run) => run.outcome));
    outcomes.forEach((outcome, r) => {
      const { key, config } = runs[r];
      timings[key] = outcome.ms;
      served.push(outcome.ok ? outcome.candidates : []);
      if (!outcome.ok) {
        failures[key] = outcome.error;
        return;
      }
      const count = Math.min(outcome.candidates.length, config.limit);
      const best = count > 0 ? outcome.candidates[0].score : 0;
      const worst = count > 0 ? outcome.candidates[count - 1].score : 0;
      for (let c = 0; c < count; c++) {
        const candidate = outcome.candidates[c];
        // `max` is what strategies serve already (toCandidates divides by the best), so their scores pass as they are.
        const mapped = recall.normalization === 'max' ? candidate.score : normalizedScore(recall.normalization, candidate.score, c, count, best, worst);
        const score = Math.min(1, Math.max(0, mapped));
        // Bit r marks run r as a contributor (at most 20 strategies, so it fits); ref packs (run, candidate).
        if (score === score && !exclude.has(candidate.item_id)) accumulator.add(candidate.item_id, config.weight * score, r * 65_536 + c, r);
      }
    });

    const contributors = new Map<number, string[]>();
    const candidates: Candidate[] = [];
    for (const slot of accumulator.top(recall.total_limit)) {
      const ref = accumulator.bestRef(slot);
      const best = served[Math.floor(ref / 65_536)][ref % 65_536];
      const mask = accumulator.mask(slot);
      let names = contributors.get(mask);
      if (!names) contributors.set(mask, (names = runs.filter((_, r) => mask & (1 << r)).map((run) => run.config.name)));
      const merged: Candidate = {
        item_id: best.item_id,
        score: accumulator.total(slot),
        strategy: best.strategy,
        reason: best.reason,
        strategies: [...names],
      };
      if (best.source_item_id !== undefined) merged.source_item_id = best.source_item_id;
      candidates.push(merged);
    }
    return { candidates, timings, failures };
  }
}

/** The config name, suffixed `#n` when the same name appears earlier in the list. */
function runKey(name: string, index: number, all: readonly RecallStrategyConfig[]): string {
  const occurrence = all.slice(0, index).filter((s) => s.name === name).length;
  return occurrence === 0 ? name : `${name}#${occurrence + 1}`;
}

/**
 * Races the strategy against its budget. A result that arrives after the
 * budget (e.g. a strategy that blocked the event loop, so the timer could not
 * fire first) is treated as an overrun too: the budget is a guarantee about
 * what is served, not a best effort.
 */
async function runWithinBudget(strategy: RecallStrategy, ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Outcome> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BudgetExceeded(config.timeout_ms)), config.timeout_ms);
  });
  const work = Promise.resolve().then(() => strategy.recall(ctx, config, exclude));
  // An overrunning strategy settles later, unobserved: keep its rejection from going unhandled.
  work.catch(() => undefined);
  try {
    const candidates = await Promise.race([work, budget]);
    const ms = performance.now() - started;
    if (ms > config.timeout_ms) return { ok: false, error: new BudgetExceeded(config.timeout_ms).message, ms };
    return { ok: true, candidates, ms };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
