import type { Candidate } from '../candidate';
import type { ScoreAccumulator } from './score-accumulator';

/**
 * The accumulator's best `limit` entries as candidates of one strategy, scores
 * divided by the best one so they span (0, 1]. `describe` gives each slot's
 * reason and optional source item.
 */
export function toCandidates(
  accumulator: ScoreAccumulator,
  limit: number,
  strategy: string,
  describe: (slot: number) => { reason: string; source_item_id?: string },
): Candidate[] {
  const slots = accumulator.top(limit);
  if (slots.length === 0) return [];
  const max = accumulator.total(slots[0]);
  if (!(max > 0)) return [];
  const candidates: Candidate[] = [];
  for (const slot of slots) {
    const score = accumulator.total(slot) / max;
    if (score > 0) candidates.push({ item_id: accumulator.id(slot), score, strategy, ...describe(slot) });
  }
  return candidates;
}
