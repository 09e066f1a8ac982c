/** One recalled item. Scores are in [0, 1] within a strategy; merged scores are weighted sums. */
export interface Candidate {
  item_id: string;
  score: number;
  /** The strategy that found it (after a merge: the biggest contributor). */
  strategy: string;
  /** Human-readable why, e.g. "similar to sku-42 you liked", "popular now". */
  reason: string;
  /** The user's item this one was found from, for item-to-item strategies. */
  source_item_id?: string;
  /** After a merge: every strategy that found it, in config order. */
  strategies?: string[];
}
