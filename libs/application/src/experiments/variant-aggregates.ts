import type { ExperimentStat } from '@lemo/domain';
import type { VariantAggregate } from './experiment-results';

/** The action that exposes a user to a variant: only users who saw its recommendations are in its sample. */
export const EXPOSURE_ACTION = 'impression';
export const CLICK_ACTION = 'click';

/**
 * Per-variant aggregates for `computeExperimentResults` from the analytics
 * store's (group, action) counts. A variant's users are its distinct users
 * with an impression: the store counts distinct users per action only, and
 * users who were assigned but never shown anything carry no information
 * about the variant anyway. Distinct clicking and converting users come
 * straight from their action's distinct count, which is why conversions are
 * one action and not a sum of several (a sum of distinct counts would count
 * a user who ordered and paid twice).
 */
export function variantAggregates(stats: readonly ExperimentStat[], conversionAction: string): VariantAggregate[] {
  const byGroup = new Map<string, Map<string, ExperimentStat>>();
  for (const stat of stats) {
    const actions = byGroup.get(stat.experiment_group) ?? new Map<string, ExperimentStat>();
    actions.set(stat.action_type, stat);
    byGroup.set(stat.experiment_group, actions);
  }
  return [...byGroup].map(([group, actions]) => ({
    variant_id: group,
    users: actions.get(EXPOSURE_ACTION)?.users ?? 0,
    impressions: actions.get(EXPOSURE_ACTION)?.events ?? 0,
    clicks: actions.get(CLICK_ACTION)?.events ?? 0,
    conversions: actions.get(conversionAction)?.events ?? 0,
    clicking_users: actions.get(CLICK_ACTION)?.users ?? 0,
    converting_users: actions.get(conversionAction)?.users ?? 0,
  }));
}
