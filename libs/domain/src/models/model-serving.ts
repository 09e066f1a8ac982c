import { z } from 'zod';
import { clientId } from '../shared/identifiers';

/**
 * The wire shapes of the model-server's internal API (`/v1/models/...`): what
 * a caller sends to have candidates scored by a tenant's learned ranker.
 * Candidates carry their own features (the caller has loaded the items), so
 * a prediction needs no catalogue read on the model-server.
 */

/** Candidates scored in one list: the api ranks at most 1,000 per request. */
export const MAX_PREDICT_CANDIDATES = 1000;
/** Lists in one batch call. */
export const MAX_PREDICT_BATCH = 100;

const versionName = z
  .string()
  .min(1, 'version must not be empty')
  .max(64, 'version must be at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'version may contain only letters, digits and _ . -');

export const predictCandidateSchema = z
  .object({
    item_id: clientId('item_id'),
    category: z.string().max(1024).optional(),
    tags: z.array(z.string().max(1024)).max(256).optional(),
    /** Unix ms the item was published (its age feature). */
    published_at: z.number().finite().optional(),
    /** Positive interactions with the item; the model's training-window count when absent. */
    popularity: z.number().finite().min(0).optional(),
  })
  .strict();

export const predictContextSchema = z
  .object({
    user_id: clientId('user_id').nullable().default(null),
    /** Request time, unix ms (hour of day and day of week features); now when absent. */
    timestamp: z.number().int().min(0).optional(),
    device_type: z.string().max(64).optional(),
    /** The user's most frequent recent category and positive-interaction count; the artifact's totals when absent. */
    top_category: z.string().max(256).optional(),
    activity: z.number().finite().min(0).optional(),
  })
  .strict();

const scoredList = {
  context: predictContextSchema.default({ user_id: null }),
  candidates: z.array(predictCandidateSchema).min(1, 'candidates must not be empty').max(MAX_PREDICT_CANDIDATES, `candidates: at most ${MAX_PREDICT_CANDIDATES}`),
};

export const predictRequestSchema = z
  .object({
    /** The version to score with; the deployed one when absent. */
    version: versionName.optional(),
    ...scoredList,
  })
  .strict();

export const batchPredictRequestSchema = z
  .object({
    version: versionName.optional(),
    /** Candidate lists scored by the same version in one call. */
    requests: z.array(z.object(scoredList).strict()).min(1, 'requests must not be empty').max(MAX_PREDICT_BATCH, `requests: at most ${MAX_PREDICT_BATCH}`),
  })
  .strict();

export const loadModelRequestSchema = z.object({ version: versionName.optional() }).strict();

export type PredictCandidate = z.infer<typeof predictCandidateSchema>;
export type PredictContext = z.infer<typeof predictContextSchema>;
export type PredictRequest = z.infer<typeof predictRequestSchema>;
export type BatchPredictRequest = z.infer<typeof batchPredictRequestSchema>;
export type LoadModelRequest = z.infer<typeof loadModelRequestSchema>;

/** Which model answered: every prediction names the version it was scored with. */
export interface ServedModelRef {
  tenant_id: string;
  scenario_id: string;
  model: string;
  version: string;
}

export interface PredictResponse extends ServedModelRef {
  /** Click probability of each candidate, in request order. */
  scores: number[];
}

export interface BatchPredictResponse extends ServedModelRef {
  results: Array<{ scores: number[] }>;
}

/** A model loaded in a model-server process. */
export interface LoadedModelInfo extends ServedModelRef {
  /** True while it is the deployed version the model-server serves by default. */
  deployed: boolean;
  /** ISO time it was loaded. */
  loaded_at: string;
  /** Predict calls (single or batch) it answered. */
  requests_served: number;
  /** Requests holding it right now. */
  in_flight: number;
}
