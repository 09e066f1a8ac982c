import { z } from 'zod';
import { metadataSchema, type Metadata } from '../shared/identifiers';

export interface User {
  tenant_id: string;
  user_id: string;
  attributes: Metadata;
  created_at: string;
  updated_at: string;
}

export const upsertUserSchema = z.object({ attributes: metadataSchema.default({}) }).strict();

/** What the engine knows about a user, derived from their events. */
export interface UserProfile {
  tenant_id: string;
  user_id: string;
  total_events: number;
  action_counts: Record<string, number>;
  /** Category -> share of weighted positive interactions, highest first. */
  preferred_categories: Array<{ category: string; score: number }>;
  preferred_tags: Array<{ tag: string; score: number }>;
  /** Hour of day (UTC, 0-23) -> events. */
  active_hours: number[];
  recent_items: Array<{ item_id: string; action_type: string; timestamp: number }>;
  first_seen_at: number | null;
  last_seen_at: number | null;
}
