import { z } from 'zod';
import { clientId } from '../shared/identifiers';
import { SCENARIO_TYPES, type ScenarioType } from './scenario';
import { DEFAULT_STRATEGY_BUDGET_MS, type ScenarioConfigInput } from './scenario-config';

/** A reusable scenario config. System templates have no tenant and cannot be deleted. */
export interface ConfigTemplate {
  template_id: string;
  /** null for system templates, visible to every tenant. */
  tenant_id: string | null;
  name: string;
  scenario_type: ScenarioType;
  description: string;
  config: ScenarioConfigInput;
  is_system: boolean;
  created_at: string;
  updated_at: string;
}

export const createTemplateSchema = z
  .object({
    template_id: clientId('template_id'),
    name: z.string().min(1).max(256),
    scenario_type: z.enum(SCENARIO_TYPES),
    description: z.string().max(4096).default(''),
    config: z.record(z.string(), z.unknown()),
  })
  .strict();

const strategy = (name: string, weight: number, limit: number) => ({ name, weight, limit, timeout_ms: DEFAULT_STRATEGY_BUDGET_MS, params: {} });

/** The seeded system templates: sensible defaults per scenario type. */
export const SYSTEM_TEMPLATES: ReadonlyArray<Omit<ConfigTemplate, 'created_at' | 'updated_at'>> = [
  {
    template_id: 'system-ecommerce',
    tenant_id: null,
    is_system: true,
    name: 'E-commerce feed',
    scenario_type: 'ecommerce',
    description: 'Purchase-weighted collaborative recall, category diversity, mild freshness.',
    config: {
      recall: { strategies: [strategy('item_cf', 1, 300), strategy('recent_similar', 0.7, 200), strategy('popular', 0.5, 200), strategy('latest', 0.1, 50)], total_limit: 500 },
      rerank: { diversity: { enabled: true, method: 'category_window', window: 5, max_per_window: 2 }, freshness: { enabled: true, half_life_hours: 24 * 14, weight: 0.1 } },
      realtime: { action_weights: { click: 1, add_cart: 4, order: 6, purchase: 8 }, decay_half_life_hours: 48, window_hours: 24 * 14 },
    },
  },
  {
    template_id: 'system-vlog',
    tenant_id: null,
    is_system: true,
    name: 'Short video feed',
    scenario_type: 'vlog',
    description: 'Fast-moving hot list, completion-weighted, strong freshness.',
    config: {
      recall: { strategies: [strategy('item_cf', 1, 300), strategy('popular', 0.8, 300), strategy('recent_similar', 0.6, 200), strategy('latest', 0.4, 100)], total_limit: 600 },
      rerank: { diversity: { enabled: true, method: 'mmr', lambda: 0.6 }, freshness: { enabled: true, half_life_hours: 24, weight: 0.4 } },
      realtime: { action_weights: { play: 1, play_end: 3, like: 3, share: 5, comment: 4 }, decay_half_life_hours: 6, window_hours: 48 },
    },
  },
  {
    template_id: 'system-news',
    tenant_id: null,
    is_system: true,
    name: 'News list',
    scenario_type: 'news',
    description: 'Latest-first with content similarity, very strong freshness.',
    config: {
      recall: { strategies: [strategy('latest', 1, 300), strategy('recent_similar', 0.8, 200), strategy('popular', 0.6, 200), strategy('item_cf', 0.5, 200)], total_limit: 500 },
      rerank: { diversity: { enabled: true, method: 'category_window', window: 4, max_per_window: 1 }, freshness: { enabled: true, half_life_hours: 6, weight: 1 } },
      realtime: { action_weights: { click: 1, read: 1, read_end: 3, share: 5 }, decay_half_life_hours: 3, window_hours: 48 },
    },
  },
  {
    template_id: 'system-music',
    tenant_id: null,
    is_system: true,
    name: 'Music recommendations',
    scenario_type: 'music',
    description: 'Listening-history collaborative recall with genre diversity.',
    config: {
      recall: { strategies: [strategy('item_cf', 1, 300), strategy('recent_similar', 0.8, 200), strategy('popular', 0.4, 200), strategy('latest', 0.1, 50)], total_limit: 500 },
      rerank: { diversity: { enabled: true, method: 'mmr', lambda: 0.7, category_field: 'genre' }, freshness: { enabled: true, half_life_hours: 24 * 30, weight: 0.05 } },
      realtime: { action_weights: { play: 1, play_end: 2, repeat: 3, add_playlist: 4, like: 3 }, decay_half_life_hours: 72, window_hours: 24 * 30 },
    },
  },
  {
    template_id: 'system-content',
    tenant_id: null,
    is_system: true,
    name: 'Content feed',
    scenario_type: 'content',
    description: 'Balanced collaborative and content recall for articles and posts.',
    config: {
      recall: { strategies: [strategy('item_cf', 1, 300), strategy('recent_similar', 0.8, 200), strategy('popular', 0.5, 200), strategy('latest', 0.3, 100)], total_limit: 500 },
      rerank: { diversity: { enabled: true, method: 'mmr', lambda: 0.7 }, freshness: { enabled: true, half_life_hours: 48, weight: 0.3 } },
      realtime: { action_weights: { click: 1, read_end: 3, like: 3, favorite: 4, share: 5 }, decay_half_life_hours: 24, window_hours: 24 * 7 },
    },
  },
];

const CONTENT_TEMPLATE = SYSTEM_TEMPLATES[SYSTEM_TEMPLATES.length - 1];

/** The system template a new scenario of this type starts from (content when none fits). */
export const systemTemplateFor = (type: ScenarioType) =>
  SYSTEM_TEMPLATES.find((t) => t.scenario_type === type) ?? CONTENT_TEMPLATE;
