import type { Experiment, LayerSlice, Metadata } from '@lemo/domain';
import { murmur3 } from './murmur3';
import { meetsTargeting } from './targeting';

/** Traffic is cut in 10,000 buckets: percentages down to 0.01% are exact. */
export const BUCKET_COUNT = 10_000;

/**
 * `experiment_group` of users held out of an experiment. Not a valid client
 * id (those start with a letter or digit), so no variant can be named so.
 */
export const HOLDOUT_GROUP = '_holdout';

const WHOLE_LAYER: LayerSlice = { from_percent: 0, to_percent: 100 };
/** Joins hash key parts; it cannot occur in ids, so ("a", "bc") and ("ab", "c") never share a key. */
const SEPARATOR = '\u001f';

/** What assignment needs of an experiment; the stored entity fits. */
export type AssignableExperiment = Pick<Experiment, 'experiment_id' | 'status' | 'layer' | 'variants' | 'layer_slice' | 'holdout_percent' | 'targeting'>;

/** What assignment needs of a user; unknown users have no attributes. */
export interface AssignableUser {
  user_id: string;
  attributes: Metadata;
}

export type ExperimentAssignment =
  | { outcome: 'variant'; experiment_id: string; layer: string; variant_id: string; is_control: boolean; config_overrides: Record<string, unknown> }
  | { outcome: 'holdout'; experiment_id: string; layer: string }
  | { outcome: 'excluded'; experiment_id: string; layer: string; reason: 'not_running' | 'not_targeted' | 'outside_layer_slice' | 'no_traffic' };

/** Bucket in [0, BUCKET_COUNT) of a hash key: the top bits of murmur3, scaled (no modulo bias). */
export function bucketOf(...keyParts: readonly string[]): number {
  return Math.floor((murmur3(keyParts.join(SEPARATOR)) / 2 ** 32) * BUCKET_COUNT);
}

/**
 * The user's bucket in a layer: salted by the layer alone, so every
 * experiment of the layer sees the same bucket (slices of it are exclusive),
 * while layers, salted differently, are independent of each other.
 */
export function layerBucket(layer: string, userId: string): number {
  return bucketOf('layer', layer, userId);
}

/**
 * The user's bucket inside an experiment, which picks holdout or variant. A
 * second, experiment-salted hash: reusing the layer bucket would tie the
 * variant to the position in the slice, so two experiments on the same slice
 * range would put the same users in their first variants.
 */
export function experimentBucket(layer: string, experimentId: string, userId: string): number {
  return bucketOf('experiment', layer, experimentId, userId);
}

/**
 * Deterministic assignment of one user to one experiment: the same user gets
 * the same answer in every process for as long as the experiment's layer,
 * slice, holdout and variant list (order and percentages) stay unchanged;
 * changing any of them while it runs reshuffles users.
 * Steps: running? → targeting → layer slice → holdout → variant by traffic_percent.
 */
export function assignToExperiment(experiment: AssignableExperiment, user: AssignableUser): ExperimentAssignment {
  const { experiment_id, layer } = experiment;
  if (experiment.status !== 'running') return { outcome: 'excluded', experiment_id, layer, reason: 'not_running' };
  if (!meetsTargeting(user.attributes, experiment.targeting ?? [])) return { outcome: 'excluded', experiment_id, layer, reason: 'not_targeted' };
  if (!inSlice(layerBucket(layer, user.user_id), experiment.layer_slice ?? WHOLE_LAYER)) {
    return { outcome: 'excluded', experiment_id, layer, reason: 'outside_layer_slice' };
  }
  const bucket = experimentBucket(layer, experiment_id, user.user_id);
  const holdoutBuckets = Math.round((experiment.holdout_percent ?? 0) * (BUCKET_COUNT / 100));
  if (bucket < holdoutBuckets) return { outcome: 'holdout', experiment_id, layer };
  const variant = variantAt(experiment.variants, (bucket - holdoutBuckets + 0.5) / (BUCKET_COUNT - holdoutBuckets));
  if (!variant) return { outcome: 'excluded', experiment_id, layer, reason: 'no_traffic' };
  return { outcome: 'variant', experiment_id, layer, variant_id: variant.variant_id, is_control: variant.is_control, config_overrides: variant.config_overrides };
}

/**
 * The user's experiments among those of a scenario: at most one per layer
 * (variant or holdout), in layer order. Slices of one layer should not
 * overlap (see `overlappingSlices`); if they do, the experiment whose slice
 * starts first (then the smaller experiment_id) takes the shared buckets.
 */
export function assignToExperiments(experiments: readonly AssignableExperiment[], user: AssignableUser): ExperimentAssignment[] {
  const byPrecedence = [...experiments].sort(
    (a, b) => compareCodeUnits(a.layer, b.layer) || sliceOf(a).from_percent - sliceOf(b).from_percent || compareCodeUnits(a.experiment_id, b.experiment_id),
  );
  const assignments: ExperimentAssignment[] = [];
  const takenLayers = new Set<string>();
  for (const experiment of byPrecedence) {
    if (takenLayers.has(experiment.layer)) continue;
    const assignment = assignToExperiment(experiment, user);
    if (assignment.outcome === 'excluded') continue;
    takenLayers.add(experiment.layer);
    assignments.push(assignment);
  }
  return assignments;
}

/** The group a user's events carry for an assignment (`experiment_group`), or null when excluded. */
export function experimentGroup(assignment: ExperimentAssignment): string | null {
  if (assignment.outcome === 'variant') return assignment.variant_id;
  return assignment.outcome === 'holdout' ? HOLDOUT_GROUP : null;
}

/** Pairs of experiments of one layer whose slices overlap: users in the overlap could only ever see one of them. */
export function overlappingSlices(experiments: readonly AssignableExperiment[]): Array<[string, string]> {
  const overlaps: Array<[string, string]> = [];
  for (let i = 0; i < experiments.length; i++) {
    for (let j = i + 1; j < experiments.length; j++) {
      const a = experiments[i];
      const b = experiments[j];
      if (a.layer !== b.layer) continue;
      const sliceA = sliceOf(a);
      const sliceB = sliceOf(b);
      if (sliceA.from_percent < sliceB.to_percent && sliceB.from_percent < sliceA.to_percent) overlaps.push([a.experiment_id, b.experiment_id]);
    }
  }
  return overlaps;
}

/** Plain code-unit order: unlike localeCompare it cannot differ between processes with different ICU locales. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sliceOf(experiment: AssignableExperiment): LayerSlice {
  return experiment.layer_slice ?? WHOLE_LAYER;
}

function inSlice(bucket: number, slice: LayerSlice): boolean {
  const scale = BUCKET_COUNT / 100;
  return bucket >= Math.round(slice.from_percent * scale) && bucket < Math.round(slice.to_percent * scale);
}

/**
 * The variant whose cumulative traffic range holds `position` in (0, 1).
 * Percentages are normalised by their sum, so a stored list that drifted
 * from 100 still splits all traffic; 0% variants never match.
 */
function variantAt<V extends { traffic_percent: number }>(variants: readonly V[], position: number): V | undefined {
  const total = variants.reduce((sum, variant) => sum + Math.max(0, variant.traffic_percent), 0);
  if (!(total > 0)) return undefined;
  let cumulative = 0;
  for (const variant of variants) {
    cumulative += Math.max(0, variant.traffic_percent) / total;
    if (position < cumulative) return variant;
  }
  // Rounding can leave the top sliver past the last cumulative sum: it belongs to the last non-empty variant.
  return [...variants].reverse().find((variant) => variant.traffic_percent > 0);
}
