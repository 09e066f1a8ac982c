/**
 * What the learned rankers know about one (user, item, moment) triple. Training
 * builds these from events, serving from the request; both go through the same
 * FeatureEncoder, so a feature cannot mean one thing offline and another online.
 */
export interface RankingUser {
  userId: string | null;
  /** The category the user interacted with most (training window); missing for new users. */
  topCategory?: string;
  /** Positive interactions of the user in the training window. */
  activity?: number;
}

export interface RankingItem {
  itemId: string;
  category?: string;
  tags?: string[];
  /** Unix ms. */
  publishedAt?: number;
  /** Positive interactions with the item in the training window. */
  popularity?: number;
}

export interface RankingMoment {
  /** Unix ms; hour of day and day of week are taken in UTC. */
  timestamp: number;
  deviceType?: string;
}

export interface RankingExample {
  user: RankingUser;
  item: RankingItem;
  moment: RankingMoment;
}

export interface LabelledExample extends RankingExample {
  /** 1 = positive feedback, 0 = shown and ignored, explicitly rejected, or sampled. */
  label: 0 | 1;
}
