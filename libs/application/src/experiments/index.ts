export * from './statistics';
export { murmur3 } from './murmur3';
export { meetsTargeting } from './targeting';
export {
  BUCKET_COUNT,
  HOLDOUT_GROUP,
  assignToExperiment,
  assignToExperiments,
  bucketOf,
  experimentBucket,
  experimentGroup,
  layerBucket,
  overlappingSlices,
  type AssignableExperiment,
  type AssignableUser,
  type ExperimentAssignment,
} from './bucketing';
export {
  MEAN_METRICS,
  RATE_METRICS,
  computeExperimentResults,
  type ExperimentResults,
  type ExperimentResultsOptions,
  type MeanMetric,
  type MetricComparison,
  type MetricName,
  type MetricResult,
  type RateMetric,
  type ResultWarning,
  type ResultWarningCode,
  type ResultsExperiment,
  type SampleSizeEstimate,
  type VariantAggregate,
  type VariantResult,
} from './experiment-results';
export * from './experiment-requests';
export { variantAggregates, EXPOSURE_ACTION, CLICK_ACTION } from './variant-aggregates';
export {
  ExperimentsUseCase,
  RUNNING_EXPERIMENTS_TTL_MS,
  type ExperimentAction,
  type AssignmentListReport,
  type ExperimentResultsReport,
  type ServingExperiment,
  type UserAssignment,
  type UserAssignmentReport,
} from './experiments.use-case';
export { ASSIGNMENT_FLUSH_MS, AssignmentLog } from './assignment-log';
