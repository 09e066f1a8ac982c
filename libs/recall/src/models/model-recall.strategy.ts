import { Injectable } from '@nestjs/common';
import type { RecallStrategyConfig } from '@lemo/domain';
import { positiveWeight, selectTop, type UserContext } from '@lemo/features';
import type { Candidate } from '../candidate';
import { RecallStrategy } from '../recall-strategy';
import { TrainedRecallModels, type LoadedRecallModel } from './trained-recall-models';

/** The user's recent positive items in the model's index space, weighted like training (ln(1 + Σ action weights)). */
export function historyIn(model: LoadedRecallModel, ctx: UserContext): { items: Int32Array; weights: Float32Array } {
  const weightOf = new Map<number, number>();
  for (const interaction of ctx.recent) {
    const index = model.itemIndex.get(interaction.item_id);
    const weight = positiveWeight(interaction.action_type, ctx.actionWeights);
    if (index !== undefined && weight > 0) weightOf.set(index, (weightOf.get(index) ?? 0) + weight);
  }
  const items = Int32Array.from(weightOf.keys());
  return { items, weights: Float32Array.from(items, (item) => Math.log1p(weightOf.get(item) ?? 0)) };
}

/**
 * Recall from a trained model (als, bpr, ease, user_cf): scores every item of the
 * deployed version for the user — from the user's trained row when the model
 * has one, otherwise folded in from the recent interactions — and returns the
 * best `limit` not excluded and not in that history, scores divided by the
 * best. Serves nothing until a version is trained and deployed.
 */
@Injectable()
export abstract class ModelRecall extends RecallStrategy {
  constructor(private readonly models: TrainedRecallModels) {
    super();
  }

  async recall(ctx: UserContext, config: RecallStrategyConfig, exclude: ReadonlySet<string>): Promise<Candidate[]> {
    if (ctx.userId === null && ctx.recent.length === 0) return [];
    const loaded = await this.models.get(ctx.tenantId, ctx.scenarioId, this.name, ctx.now);
    if (!loaded) return [];
    const user = ctx.userId === null ? -1 : (loaded.userIndex.get(ctx.userId) ?? -1);
    const history = historyIn(loaded, ctx);
    if (user === -1 && history.items.length === 0) return [];

    const { scores, itemIds } = loaded;
    loaded.model.scoreUser(user, history, scores);
    for (const item of history.items) scores[item] = Number.NEGATIVE_INFINITY;
    const n = scores.length;
    // Reused per loaded model: no allocation of two item-sized arrays per request.
    const { selectionIds: ids, selectionScores: values } = loaded;
    for (let i = 0; i < n; i++) {
      ids[i] = i;
      values[i] = scores[i];
    }
    // Excluded ids are dropped after selection: over-select by their count rather than test every item against the set.
    const count = selectTop(ids, values, n, config.limit + exclude.size);
    const best = values[0];
    if (!(best > 0)) return [];
    const reason = `picked for your tastes by ${this.name}`;
    const candidates: Candidate[] = [];
    for (let k = 0; k < count && candidates.length < config.limit; k++) {
      const itemId = itemIds[ids[k]];
      if (values[k] <= 0 || exclude.has(itemId)) continue;
      candidates.push({ item_id: itemId, score: values[k] / best, strategy: this.name, reason });
    }
    return candidates;
  }
}

@Injectable()
export class AlsRecall extends ModelRecall {
  readonly name = 'als';
}

@Injectable()
export class BprRecall extends ModelRecall {
  readonly name = 'bpr';
}

@Injectable()
export class EaseRecall extends ModelRecall {
  readonly name = 'ease';
}

@Injectable()
export class UserCfRecall extends ModelRecall {
  readonly name = 'user_cf';
}
