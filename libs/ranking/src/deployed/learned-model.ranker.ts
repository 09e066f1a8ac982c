import { Injectable } from '@nestjs/common';
import { ModelArtifactStore, ModelRepository, type Item, type ScenarioConfig } from '@lemo/domain';
import { DeployedModels } from '@lemo/features';
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
    return (await this.deployed.get(tenantId, `${scenarioId}.${kind}`, now))?.value ?? null;
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
    const model = await this.deployed.get(ctx.tenantId, ctx.scenarioId, this.name, ctx.now);
    if (!model) return ruled;
    const probabilities = model.score({ userId: ctx.userId, now: ctx.now }, ruled.map((ranked) => rankingItemFromItem(ranked.item)));
    const scored = ruled.map((ranked, i) => ({ ...ranked, score: probabilities[i] }));
    // Stable: equal probabilities keep the rule order.
    return scored.sort((a, b) => b.score - a.score);
  }
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
