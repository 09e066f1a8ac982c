import { z } from 'zod';
import { ACTION_TYPE_NAMES } from './action-type';
import { clientId, metadataSchema } from '../shared/identifiers';

export const DEVICE_TYPES = ['mobile', 'pc', 'tablet', 'tv', 'unknown'] as const;

export const behaviorContextSchema = z
  .object({
    device_type: z.enum(DEVICE_TYPES).optional(),
    os: z.string().max(64).optional(),
    location: z.string().max(128).optional(),
    ip: z.string().max(64).optional(),
    user_agent: z.string().max(512).optional(),
  })
  .strict();

const nonNegInt = z.number().int().nonnegative();
const ratio = z.number().min(0).max(1);

/** Scenario-specific payloads: the oneof `ScenarioSpecificData` of the contract. */
export const videoDataSchema = z
  .object({
    duration: nonNegInt.optional(),
    watch_duration: nonNegInt.optional(),
    completion_rate: ratio.optional(),
    video_quality: z.string().max(32).optional(),
    is_fullscreen: z.boolean().optional(),
    is_muted: z.boolean().optional(),
    playback_speed: z.number().positive().max(16).optional(),
    seek_positions: z.array(nonNegInt).max(1000).optional(),
    buffer_time: nonNegInt.optional(),
  })
  .strict();
export const ecommerceDataSchema = z
  .object({
    price: z.number().nonnegative().optional(),
    currency: z.string().max(8).optional(),
    quantity: nonNegInt.optional(),
    discount: z.number().min(0).optional(),
    category_path: z.string().max(256).optional(),
    brand: z.string().max(128).optional(),
    sku_id: z.string().max(128).optional(),
    product_tags: z.array(z.string().max(64)).max(100).optional(),
    stock_count: z.number().int().optional(),
    coupon_id: z.string().max(128).optional(),
  })
  .strict();
export const newsDataSchema = z
  .object({
    read_duration: nonNegInt.optional(),
    read_progress: ratio.optional(),
    word_count: nonNegInt.optional(),
    news_type: z.string().max(64).optional(),
    source: z.string().max(128).optional(),
    author: z.string().max(128).optional(),
    keywords: z.array(z.string().max(64)).max(100).optional(),
    is_breaking_news: z.boolean().optional(),
    publish_time: z.number().int().optional(),
  })
  .strict();
export const musicDataSchema = z
  .object({
    duration: nonNegInt.optional(),
    play_duration: nonNegInt.optional(),
    artist: z.string().max(128).optional(),
    album: z.string().max(128).optional(),
    genre: z.string().max(64).optional(),
    bpm: nonNegInt.optional(),
    language: z.string().max(32).optional(),
    is_vip_only: z.boolean().optional(),
    audio_quality: z.string().max(32).optional(),
  })
  .strict();
export const educationDataSchema = z
  .object({
    course_id: z.string().max(128).optional(),
    chapter_id: z.string().max(128).optional(),
    lesson_duration: nonNegInt.optional(),
    study_duration: nonNegInt.optional(),
    progress: ratio.optional(),
    exercise_count: nonNegInt.optional(),
    correct_count: nonNegInt.optional(),
    score: z.number().optional(),
    difficulty_level: z.string().max(32).optional(),
    is_certificate_course: z.boolean().optional(),
  })
  .strict();

export const SCENARIO_DATA_KINDS = ['video_data', 'ecommerce_data', 'news_data', 'music_data', 'education_data', 'custom_data'] as const;

export const scenarioDataSchema = z
  .object({
    video_data: videoDataSchema.optional(),
    ecommerce_data: ecommerceDataSchema.optional(),
    news_data: newsDataSchema.optional(),
    music_data: musicDataSchema.optional(),
    education_data: educationDataSchema.optional(),
    custom_data: metadataSchema.optional(),
  })
  .strict()
  .refine((data) => Object.values(data).filter((v) => v !== undefined).length <= 1, {
    message: `scenario_data holds at most one of ${SCENARIO_DATA_KINDS.join(', ')}`,
  });

/** Events older than this, or further in the future than the skew, are refused. */
const MAX_EVENT_AGE_MS = 365 * 24 * 3600 * 1000;
const MAX_CLOCK_SKEW_MS = 10 * 60 * 1000;

/** A behaviour event as a client submits it. `timestamp` is unix milliseconds. */
export const behaviorEventInputSchema = z
  .object({
    event_id: clientId('event_id').optional(),
    scenario_id: clientId('scenario_id'),
    user_id: clientId('user_id'),
    item_id: clientId('item_id'),
    action_type: z.enum(ACTION_TYPE_NAMES, { error: `action_type must be one of: ${ACTION_TYPE_NAMES.join(', ')}` }),
    timestamp: z
      .number()
      .int()
      .refine((t) => t > Date.now() - MAX_EVENT_AGE_MS && t < Date.now() + MAX_CLOCK_SKEW_MS, {
        message: 'timestamp must be unix milliseconds within the last year and not in the future',
      })
      .optional(),
    context: behaviorContextSchema.optional(),
    experiment_id: z.string().max(128).optional(),
    experiment_group: z.string().max(128).optional(),
    request_id: z.string().max(128).optional(),
    position: z.number().int().nonnegative().max(10_000).optional(),
    value: z.number().finite().optional(),
    scenario_data: scenarioDataSchema.optional(),
    extra_data: metadataSchema.optional(),
  })
  .strict();
export type BehaviorEventInput = z.infer<typeof behaviorEventInputSchema>;

/** A stored event: the server fills in the id and time when the client did not. */
export interface BehaviorEvent extends Omit<BehaviorEventInput, 'event_id' | 'timestamp'> {
  tenant_id: string;
  event_id: string;
  timestamp: number;
  /** Server receive time, unix ms. */
  received_at: number;
}
