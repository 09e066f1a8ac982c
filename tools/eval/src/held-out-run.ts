import { buildUserItemMatrix, InteractionLog, type ImplicitModel, type ImplicitTrainer, type UserItemMatrix } from './engine';
import type { Interactions } from './interactions';
import { MetricsAccumulator, type MetricsSummary } from './metrics';
import { fuse, normalize, type Candidates, type Normalization } from './pipeline';
import { UserRanker } from './ranking';
import { groupByUser } from './split';

/** One strategy to evaluate: a product trainer and the params it is trained with. */
export interface StrategyRun {
  name: string;
  trainer: ImplicitTrainer<object>;
  params: Record<string, unknown>;
}

export interface StrategyResult {
  name: string;
  params: Record<string, unknown>;
  trainSeconds: number;
  metrics: MetricsSummary;
}

export interface RankingOptions {
  ks: readonly number[];
  strategies: readonly StrategyRun[];
  /** Candidates each strategy keeps per user for the pipeline (the product's per-strategy `limit`). */
  candidates: number;
  normalization: Normalization;
}

/** Every strategy trained on one training part, with its candidates for each held-out user: what test and tuning both score. */
export interface HeldOutRun {
  strategies: StrategyResult[];
  /** Per strategy (in run order), per held-out user (in `users` order), the normalised candidates. */
  candidates: Candidates[][];
  users: Int32Array;
  /** Per held-out user (same order), the held-out items. */
  heldOut: Int32Array[];
  items: number;
}

/** The pipeline's metrics on a held-out run for given weights (also the tuning objective). */
export function scorePipeline(run: HeldOutRun, weights: Record<string, number>, ks: readonly number[]): MetricsSummary {
  const strategyWeights = run.strategies.map((strategy) => weights[strategy.name] ?? 0);
  const depth = Math.max(...ks);
  const metrics = new MetricsAccumulator(ks, run.items);
  const relevant = new Uint8Array(run.items);
  run.users.forEach((_, u) => {
    const lists = run.candidates.map((perUser) => perUser[u]);
    markHeldOut(relevant, run.heldOut[u], 1);
    metrics.add(fuse(lists, strategyWeights, depth), (item) => relevant[item] === 1, run.heldOut[u].length);
    markHeldOut(relevant, run.heldOut[u], 0);
  });
  return metrics.summary();
}

/** Interaction indices of a training part and the part held out to score it. */
export interface HeldOutPart {
  train: Int32Array;
  heldOut: Int32Array;
  /**
   * Known interactions neither trained on nor scored: excluded from the ranking
   * like training items (RecBole's validation part at test time, as RecBole does).
   */
  excluded?: Int32Array;
}

/**
 * Trains each strategy on the training part (timed), ranks all items for every
 * user with held-out interactions, and scores each strategy's top K alone; the
 * candidates are kept so blends can be scored without retraining.
 */
export async function trainAndRank(
  data: Interactions,
  part: HeldOutPart,
  options: RankingOptions,
  log: (message: string) => void = () => undefined,
): Promise<HeldOutRun> {
  const matrix = trainingMatrix(data, part.train);
  const heldOutByUser = groupByUser(data, part.heldOut);
  const users = Int32Array.from(heldOutByUser.flatMap((group, user) => (group.length > 0 ? [user] : [])));
  const itemsOf = (group: Int32Array) => Int32Array.from(group, (e) => data.items[e]);
  const heldOutItems = Array.from(users, (user) => itemsOf(heldOutByUser[user]));
  const excludedByUser = part.excluded ? groupByUser(data, part.excluded) : undefined;
  const excludedItems = Array.from(users, (user) => (excludedByUser ? itemsOf(excludedByUser[user]) : new Int32Array(0)));
  const depth = Math.max(options.candidates, ...options.ks);
  const strategies: StrategyResult[] = [];
  const candidates: Candidates[][] = [];
  const relevant = new Uint8Array(matrix.items);
  for (const strategy of options.strategies) {
    const started = performance.now();
    const model = await strategy.trainer.train(matrix, strategy.params);
    const trainSeconds = (performance.now() - started) / 1000;
    const perUser = rankUsers(model, matrix, users, excludedItems, depth, options.normalization);
    const metrics = new MetricsAccumulator(options.ks, matrix.items);
    users.forEach((_, u) => {
      markHeldOut(relevant, heldOutItems[u], 1);
      metrics.add(perUser[u].items, (item) => relevant[item] === 1, heldOutItems[u].length);
      markHeldOut(relevant, heldOutItems[u], 0);
    });
    const summary = metrics.summary();
    strategies.push({ name: strategy.name, params: strategy.params, trainSeconds, metrics: summary });
    candidates.push(perUser);
    log(`${strategy.name}: trained in ${trainSeconds.toFixed(2)} s, NDCG@${options.ks[0]} ${summary.at[options.ks[0]].ndcg.toFixed(4)}`);
  }
  return { strategies, candidates, users, heldOut: heldOutItems, items: matrix.items };
}

/**
 * The training part as the product's matrix: an InteractionLog in time order
 * (buildUserItemMatrix keeps the latest items when it caps a history; here
 * nothing is capped), over every user and item of the file, so items seen only
 * in the test still take part in the full ranking.
 */
export function trainingMatrix(data: Interactions, train: Int32Array): UserItemMatrix {
  const ordered = Int32Array.from(train).sort((a, b) => data.timestamps[a] - data.timestamps[b] || a - b);
  const log = new InteractionLog(Math.max(1, ordered.length));
  for (const e of ordered) log.push(data.users[e], data.items[e], data.weights[e]);
  return buildUserItemMatrix(log, data.userIds.size, data.itemIds.size, Number.MAX_SAFE_INTEGER);
}

function rankUsers(
  model: ImplicitModel,
  matrix: UserItemMatrix,
  users: Int32Array,
  excluded: Int32Array[],
  depth: number,
  normalization: Normalization,
): Candidates[] {
  const ranker = new UserRanker(matrix);
  return Array.from(users, (user, u) => normalize(ranker.rank(model, user, depth, excluded[u]), normalization));
}

function markHeldOut(flags: Uint8Array, items: Int32Array, value: 0 | 1): void {
  for (const item of items) flags[item] = value;
}
