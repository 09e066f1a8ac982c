import { Injectable } from '@nestjs/common';
import { ModelArtifactStore, ModelRepository, type Item, type ScenarioConfig } from '@lemo/domain';
import { DeployedModels, type DeployedModel } from '@lemo/features';
import type { Candidate } from '@lemo/recall';
import { rankingItemFromItem } from '../learned/catalog-item';
import { LearnedRanker } from '../learned/learned-ranker';
import type { ModelKind } from '../learned/models/ranking-model';
import type { RankContext, RankedItem } from '../ranked-item';
import { Ranker } from '../ranker';
import { RuleRanker } from '../rule.ranker';

/** The deployed learned ranker of each (tenant, scenario, kind): the model `<scenario>.<kind>` the ranker training job writes. */
@Injectable()
export class DeployedRankers {
  private readonly deployed: DeployedModels<LearnedRanker>;

  constructor(models: ModelRepository, artifacts: ModelArtifactStore) {
    this.deployed = new DeployedModels(models, artifacts, { decode: (bytes) => LearnedRanker.load(bytes), release: (ranker) => ranker.dispose() });
  }

  async get(tenantId: string, scenarioId: string, kind: ModelKind, now: number): Promise<LearnedRanker | null> {
    return (await this.deployedVersion(tenantId, scenarioId, kind, now))?.value ?? null;
  }

  /** The ranker with its registry version name (v1, v2, ...). */
  deployedVersion(tenantId: string, scenarioId: string, kind: ModelKind, now: number): Promise<DeployedModel<LearnedRanker> | null> {
    return this.deployed.get(tenantId, `${scenarioId}.${kind}`, now);
  }
}

/**
 * Ranks by a learned model's click probability. The rule ranker runs first:
 * it drops missing and inactive items and is the answer whenever no version
 * of the model is deployed yet, so naming a ranker before training it is safe.
 */
@Injectable()
export abstract class LearnedModelRanker extends Ranker {
  abstract override readonly name: ModelKind;

  constructor(
    private readonly deployed: DeployedRankers,
    private readonly rule: RuleRanker,
  ) {
    super();
  }

  async rank(candidates: Candidate[], items: ReadonlyMap<string, Item>, ctx: RankContext, config: ScenarioConfig['rank']): Promise<RankedItem[]> {
    const ruled = await this.rule.rank(candidates, items, ctx, config);
    if (ruled.length === 0) return ruled;
    return this.rescore(ruled, ctx);
  }

  /** Re-orders a rule-ranked list by the deployed model's click probability, in this process (also the model-server client's fallback). */
  async rescore(ruled: RankedItem[], ctx: RankContext, fallback?: string): Promise<RankedItem[]> {
    const deployed = await this.deployed.deployedVersion(ctx.tenantId, ctx.scenarioId, this.name, ctx.now);
    if (!deployed) {
      ctx.report?.({ ranker: 'rule', version: null, served_by: 'in_process', fallback: fallback ?? `no deployed version of ${this.name}` });
      return ruled;
    }
    const probabilities = deployed.value.score({ userId: ctx.userId, now: ctx.now }, ruled.map((ranked) => rankingItemFromItem(ranked.item)));
    ctx.report?.({ ranker: this.name, version: deployed.version, served_by: 'in_process', ...(fallback && { fallback }) });
    return byScore(ruled, probabilities);
  }
}

/** The list re-scored; stable, so equal probabilities keep the rule order. */
export function byScore(ruled: readonly RankedItem[], probabilities: readonly number[]): RankedItem[] {
  return ruled.map((ranked, i) => ({ ...ranked, score: probabilities[i] })).sort((a, b) => b.score - a.score);
}

@Injectable()
export class LogisticRegressionRanker extends LearnedModelRanker {
  readonly name = 'lr';
}

@Injectable()
export class FactorisationMachineRanker extends LearnedModelRanker {
  readonly name = 'fm';
}

@Injectable()
export class DeepFmRanker extends LearnedModelRanker {
  readonly name = 'deepfm';
}

@Injectable()
export class WideAndDeepRanker extends LearnedModelRanker {
  readonly name = 'wide_deep';
}
