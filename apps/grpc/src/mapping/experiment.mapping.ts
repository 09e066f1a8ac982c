import { DomainError, isDomainError, type Experiment, type ExperimentStatus, type ExperimentVariant } from '@lemo/domain';
import type { ExperimentResultsReport, VariantResult } from '@lemo/application';
import { recommender } from '@lemo/contracts';
import { decimalOfFloat, timestampOf } from './proto-values';

const { ExperimentStatus: WireStatus, TrafficSplitMethod } = recommender;

/**
 * Domain status → wire. `archived` has no wire value: an archived experiment is a completed one put
 * away, so it shows as COMPLETED. STOPPED is never sent (StopExperiment completes an experiment).
 */
const WIRE_STATUS: Record<ExperimentStatus, recommender.ExperimentStatus> = {
  draft: WireStatus.EXPERIMENT_STATUS_DRAFT,
  running: WireStatus.EXPERIMENT_STATUS_RUNNING,
  paused: WireStatus.EXPERIMENT_STATUS_PAUSED,
  completed: WireStatus.EXPERIMENT_STATUS_COMPLETED,
  archived: WireStatus.EXPERIMENT_STATUS_COMPLETED,
};

/** A ListExperiments status filter; UNSPECIFIED is no filter. STOPPED is refused (stopped experiments are COMPLETED). */
export function experimentStatusFilterOf(wire: recommender.ExperimentStatus): ExperimentStatus | undefined {
  switch (wire) {
    case WireStatus.EXPERIMENT_STATUS_UNSPECIFIED:
      return undefined;
    case WireStatus.EXPERIMENT_STATUS_DRAFT:
      return 'draft';
    case WireStatus.EXPERIMENT_STATUS_RUNNING:
      return 'running';
    case WireStatus.EXPERIMENT_STATUS_PAUSED:
      return 'paused';
    case WireStatus.EXPERIMENT_STATUS_COMPLETED:
      return 'completed';
    case WireStatus.EXPERIMENT_STATUS_STOPPED:
      throw DomainError.invalid('status', 'experiments stopped by StopExperiment are EXPERIMENT_STATUS_COMPLETED; filter by that');
    default:
      throw DomainError.invalid('status', `unknown experiment status ${wire}`);
  }
}

/** traffic_ratio is a fraction of the experiment's traffic (0-1); the domain keeps percents. */
const percentOf = (ratio: number): number => Math.round(decimalOfFloat(ratio) * 100 * 1e6) / 1e6;

/** A proto ExperimentGroup as the domain variant input (validated by createExperimentSchema). */
export function variantInputOf(group: recommender.ExperimentGroup, index: number): Record<string, unknown> {
  const strategy = group.strategy;
  const unsupported = strategy && (['recall_model_ids', 'rank_model_id', 'rerank_rule_ids'] as const).find((field) => (Array.isArray(strategy[field]) ? strategy[field].length > 0 : strategy[field] !== ''));
  if (unsupported) {
    throw DomainError.invalid(
      `groups.${index}.strategy.${unsupported}`,
      'a variant is a partial scenario config merged over the scenario\'s: give it as strategy.additional_config (e.g. {"recall":{...},"ranking":{...}})',
    );
  }
  return { variant_id: group.group_id, name: group.name, traffic_percent: percentOf(group.traffic_ratio), is_control: group.is_control, config_overrides: strategy?.additional_config ?? {} };
}

/** Field paths of the domain's variants as the contract names them (variants.0.traffic_percent → groups.0.traffic_ratio). */
export function wireExperimentField(field: string): string {
  return field
    .replace(/^variants\b/, 'groups')
    .replace(/\.variant_id\b/, '.group_id')
    .replace(/\.traffic_percent\b/, '.traffic_ratio')
    .replace(/\.config_overrides\b/, '.strategy.additional_config');
}

/** Renames the fields of a domain error's issues to the contract's; other errors pass unchanged. */
export function withWireExperimentFields(error: unknown): never {
  if (isDomainError(error) && error.issues.length) {
    const issues = error.issues.map((issue) => ({ ...issue, field: wireExperimentField(issue.field) }));
    throw new DomainError(error.code, issues.map((issue) => `${issue.field}: ${issue.message}`).join('; '), issues);
  }
  throw error;
}

function groupMessage(variant: ExperimentVariant): recommender.ExperimentGroup {
  return recommender.ExperimentGroup.fromPartial({
    group_id: variant.variant_id,
    name: variant.name,
    traffic_ratio: variant.traffic_percent / 100,
    is_control: variant.is_control,
    strategy: { recall_model_ids: [], rank_model_id: '', rerank_rule_ids: [], additional_config: variant.config_overrides },
  });
}

/**
 * An experiment as the contract's message. Users are always assigned by a hash of the user id
 * (USER_ID_HASH); no creator is recorded, so `created_by` is empty. Layer, slice, holdout and
 * targeting have no wire fields.
 */
export function experimentMessage(experiment: Experiment): recommender.Experiment {
  return recommender.Experiment.fromPartial({
    id: experiment.experiment_id,
    tenant_id: experiment.tenant_id,
    scenario_id: experiment.scenario_id,
    experiment_id: experiment.experiment_id,
    name: experiment.name,
    description: experiment.description,
    hypothesis: experiment.hypothesis,
    groups: experiment.variants.map(groupMessage),
    status: WIRE_STATUS[experiment.status],
    traffic_split_method: TrafficSplitMethod.TRAFFIC_SPLIT_METHOD_USER_ID_HASH,
    min_sample_size: experiment.min_sample_size,
    confidence_level: experiment.confidence_level,
    start_time: experiment.started_at ? timestampOf(experiment.started_at) : undefined,
    end_time: experiment.ended_at ? timestampOf(experiment.ended_at) : undefined,
    created_at: timestampOf(experiment.created_at),
    updated_at: timestampOf(experiment.updated_at),
    created_by: '',
  });
}

/** Values a google.protobuf.Struct can carry: JSON (null for absent numbers, no undefined). */
const jsonOf = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value)) as Record<string, unknown>;

/**
 * One group's results. `metrics` holds every metric's value and comparison with the control (lifts,
 * intervals, p-values); `confidence` is 1 − the Holm-adjusted p-value of the primary metric (the one
 * the sample size is estimated for, ctr by default) against the control, and `is_significant` its
 * verdict; the control has confidence 0 and is never significant. `sample_size` is distinct users exposed.
 */
function resultMessage(variant: VariantResult, primary: string): recommender.ExperimentResult {
  const comparison = variant.metrics[primary as keyof VariantResult['metrics']]?.vs_control ?? null;
  return recommender.ExperimentResult.fromPartial({
    group_id: variant.variant_id,
    group_name: variant.name,
    metrics: jsonOf({ users: variant.users, impressions: variant.impressions, clicks: variant.clicks, conversions: variant.conversions, ...variant.metrics }),
    sample_size: variant.users,
    confidence: comparison ? 1 - comparison.adjusted_p_value : 0,
    is_significant: comparison?.significant ?? false,
  });
}

export function experimentResultsMessage(experiment: Experiment, report: ExperimentResultsReport): recommender.GetExperimentResultsResponse {
  const primary = report.sample_size?.metric ?? 'ctr';
  const { variants, ...summary } = report;
  return recommender.GetExperimentResultsResponse.fromPartial({
    experiment: experimentMessage(experiment),
    results: variants.map((variant) => resultMessage(variant, primary)),
    summary: jsonOf({ ...summary, primary_metric: primary }),
  });
}
