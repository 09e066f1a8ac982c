import { halfLifeDecay, positiveWeight, type UserContext } from '@lemo/features';

/** One of the user's recently engaged items, as a seed for item-to-item recall. */
export interface RecentSource {
  itemId: string;
  /** Σ action weight × recency decay over the user's recent interactions with it. */
  weight: number;
  /** The action that contributed most, for the reason text. */
  action: string;
}

/**
 * The user's distinct positively-engaged recent items, newest first, at most
 * `max`. Negative and zero-weight actions are not seeds.
 */
export function recentSources(ctx: UserContext, max: number, halfLifeHours: number): RecentSource[] {
  const sources: RecentSource[] = [];
  const strongest: number[] = [];
  const byItem = new Map<string, number>();
  for (const interaction of ctx.recent) {
    const base = positiveWeight(interaction.action_type, ctx.actionWeights);
    if (base === 0) continue;
    const weight = base * halfLifeDecay(ctx.now - interaction.timestamp, halfLifeHours);
    const at = byItem.get(interaction.item_id);
    if (at !== undefined) {
      sources[at].weight += weight;
      if (base > strongest[at]) {
        strongest[at] = base;
        sources[at].action = interaction.action_type;
      }
    } else if (sources.length < max) {
      byItem.set(interaction.item_id, sources.length);
      sources.push({ itemId: interaction.item_id, weight, action: interaction.action_type });
      strongest.push(base);
    }
  }
  return sources;
}

const VERBS: Readonly<Record<string, string>> = {
  click: 'viewed',
  view: 'viewed',
  read: 'read',
  read_end: 'read',
  play: 'played',
  play_end: 'played',
  repeat: 'played',
  add_playlist: 'saved',
  favorite: 'saved',
  note: 'saved',
  add_cart: 'added to cart',
  order: 'bought',
  payment: 'bought',
  purchase: 'bought',
  share: 'shared',
  comment: 'commented on',
  review: 'reviewed',
  download: 'downloaded',
};

/** "similar to X you liked", with the verb of the user's strongest action on X. */
export function similarToReason(source: RecentSource): string {
  return `similar to ${source.itemId} you ${VERBS[source.action] ?? 'liked'}`;
}
