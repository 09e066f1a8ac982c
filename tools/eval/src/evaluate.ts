import type { Interactions } from './interactions';
import type { MetricsSummary } from './metrics';
import type { Normalization } from './pipeline';
import { scorePipeline, trainAndRank, type StrategyResult, type StrategyRun } from './held-out-run';
import type { Protocol, Split } from './split';
import { tunePipelineWeights, type TuningResult } from './tune';

export interface PipelineOptions {
  /** Weight per strategy name; strategies absent or at 0 are left out of the blend. */
  weights: Record<string, number>;
  normalization: Normalization;
  /** Candidates each strategy contributes per user (the product's per-strategy `limit`). */
  candidates: number;
  /** Tune the weights on a validation split carved from the training part (never the test). */
  tune?: { grid: readonly number[]; rounds: number };
}

export interface EvaluationOptions {
  protocol: Protocol;
  seed: number;
  ks: readonly number[];
  strategies: readonly StrategyRun[];
  pipeline: PipelineOptions;
  /** Progress lines (stderr in the CLI). */
  log?: (message: string) => void;
}

export interface EvaluationResult {
  protocol: { name: string; description: string; seed: number };
  data: { users: number; items: number; interactions: number; train: number; validation: number; test: number; evaluatedUsers: number };
  ks: number[];
  strategies: StrategyResult[];
  pipeline: {
    weights: Record<string, number>;
    normalization: Normalization;
    candidates: number;
    /** Sum of the blended strategies' train times. */
    trainSeconds: number;
    tuning?: TuningResult;
    metrics: MetricsSummary;
  };
}

/**
 * Runs the protocol: split, train every strategy with the product's trainer on
 * the product's user × item matrix, rank all items for each test user (training
 * items excluded), score the strategies alone and blended as the pipeline.
 */
export async function evaluate(data: Interactions, options: EvaluationOptions): Promise<EvaluationResult> {
  const log = options.log ?? (() => undefined);
  const split = options.protocol.split(data, allInteractions(data), options.seed);
  log(`split (${options.protocol.name}, seed ${options.seed}): ${split.train.length} train, ${split.validation.length} validation, ${split.test.length} test`);

  const rankingOptions = {
    ks: options.ks,
    strategies: options.strategies,
    candidates: options.pipeline.candidates,
    normalization: options.pipeline.normalization,
  };
  let weights = activeWeights(options.pipeline.weights, options.strategies);
  let tuning: TuningResult | undefined;
  if (options.pipeline.tune) {
    const validation = validationSplit(data, split, options.protocol, options.seed);
    log(`tuning pipeline weights on a validation split of the training part (${validation.train.length} train, ${validation.test.length} validation)`);
    const run = await trainAndRank(data, { train: validation.train, heldOut: validation.test }, rankingOptions, log);
    tuning = tunePipelineWeights(run, weights, options.pipeline.tune, options.ks[0]);
    weights = tuning.weights;
    log(`tuned weights ${JSON.stringify(weights)}: validation NDCG@${options.ks[0]} ${tuning.validationNdcg.toFixed(4)}`);
  }

  const run = await trainAndRank(data, { train: split.train, heldOut: split.test, excluded: split.validation }, rankingOptions, log);
  const pipelineMetrics = scorePipeline(run, weights, options.ks);
  const blended = run.strategies.filter((strategy) => (weights[strategy.name] ?? 0) > 0);
  return {
    protocol: { name: options.protocol.name, description: options.protocol.description, seed: options.seed },
    data: {
      users: data.userIds.size,
      items: data.itemIds.size,
      interactions: data.length,
      train: split.train.length,
      validation: split.validation.length,
      test: split.test.length,
      evaluatedUsers: run.users.length,
    },
    ks: [...options.ks],
    strategies: run.strategies,
    pipeline: {
      weights,
      normalization: options.pipeline.normalization,
      candidates: options.pipeline.candidates,
      trainSeconds: blended.reduce((sum, strategy) => sum + strategy.trainSeconds, 0),
      ...(tuning ? { tuning } : {}),
      metrics: pipelineMetrics,
    },
  };
}

/**
 * The split tuning uses: the protocol's own validation part when it has one
 * (RecBole's 10 %), else the protocol applied once more to the training part
 * with another seed. The test part is never looked at.
 */
export function validationSplit(data: Interactions, split: Split, protocol: Protocol, seed: number): { train: Int32Array; test: Int32Array } {
  if (split.validation.length > 0) return { train: split.train, test: split.validation };
  const inner = protocol.split(data, split.train, seed + 1);
  return { train: inner.train, test: inner.test };
}

function activeWeights(weights: Record<string, number>, strategies: readonly StrategyRun[]): Record<string, number> {
  const active: Record<string, number> = {};
  for (const strategy of strategies) active[strategy.name] = weights[strategy.name] ?? 0;
  return active;
}

function allInteractions(data: Interactions): Int32Array {
  return Int32Array.from({ length: data.length }, (_, e) => e);
}
