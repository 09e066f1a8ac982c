import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildTrainingData,
  loadTensorflow,
  trainModelOnData,
  MODEL_KINDS,
  SPARSE_FIELD_NAMES,
  type BackendLogger,
  type FitOptions,
  type ModelKind,
  type RankingItem,
  type SparseFieldName,
  type TrainingEvent,
} from '@lemo/ranking';

/** MovieLens genre columns of u.item, in file order (u.genre). */
const ML_GENRES = [
  'unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
  'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western',
]; // prettier-ignore

/** Ratings of 4 and 5 count as clicks; lower ratings as shown and not clicked. */
const CLICK_RATING = 4;

/**
 * u.data (tab-separated user, item, rating, unix seconds) as behaviour events:
 * a rating ≥ 4 is a click, a lower one an impression without a click.
 */
export function parseMovieLensRatings(text: string): TrainingEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [user, item, rating, seconds] = line.split('\t');
      return { user_id: `u${user}`, item_id: `i${item}`, action_type: Number(rating) >= CLICK_RATING ? 'click' : 'impression', timestamp: Number(seconds) * 1000 };
    });
}

/** u.item (pipe-separated, latin1 decoded by the caller): category = first genre flagged, tags = every genre flagged, published = release date. */
export function parseMovieLensItems(text: string): RankingItem[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const fields = line.split('|');
      const flags = fields.slice(-ML_GENRES.length);
      const genres = ML_GENRES.filter((_, g) => flags[g] === '1');
      const released = Date.parse(fields[2]);
      return { itemId: `i${fields[0]}`, category: genres[0], tags: genres, publishedAt: Number.isNaN(released) ? undefined : released };
    });
}

export interface RankerAucOptions {
  /** Folder holding u.data and u.item; read in place, never copied. */
  dataDir: string;
  kinds?: readonly ModelKind[];
  /** Chronological split: `global` (the brief's protocol; most held-out users are new) or `per_user` (each user's latest 20 %). */
  split?: 'global' | 'per_user';
  /** Sampled negatives per click, besides the low ratings. */
  negativesPerPositive?: number;
  fit?: Partial<FitOptions>;
  /** Sparse fields; all but the context ones by default (see ML_100K_FIELDS). */
  fields?: readonly SparseFieldName[];
  log?: (line: string) => void;
}

export interface RankerAucRow {
  kind: ModelKind;
  auc: number;
  logloss: number;
  trainMs: number;
  epochs: number;
}

export interface RankerAucReport {
  backend: string;
  split: 'global' | 'per_user';
  examples: { train: number; validation: number; test: number };
  rows: RankerAucRow[];
}

/**
 * ML-100K has no serving context: a rating's time is when the user sat down to
 * rate, so hour and weekday would only tell sessions apart (a label leak for
 * low vs high ratings of one session, noise for new users). Device is absent.
 */
const ML_100K_FIELDS: readonly SparseFieldName[] = SPARSE_FIELD_NAMES.filter((f) => !['hour_of_day', 'day_of_week', 'device'].includes(f));

/** ML-100K has 943 users and 1,682 items: smaller tables than the defaults, few collisions, faster Adam steps. */
const ML_100K_BUCKETS: Partial<Record<SparseFieldName, number>> = {
  user_id: 4_001,
  item_id: 8_001,
  item_category: 64,
  item_tag: 64,
  user_top_category: 64,
  user_category_x_item_category: 2_048,
};

/**
 * Held-out AUC of every learned ranker on MovieLens-100K: chronological 80/20
 * split (global by default, or per user), clicks = ratings ≥ 4, negatives = lower ratings plus
 * `negativesPerPositive` popularity-sampled items per click; every model is
 * trained on the very same examples, LR first as the baseline.
 */
export async function runRankerAucReport(options: RankerAucOptions): Promise<RankerAucReport> {
  const log = options.log ?? (() => undefined);
  const logger: BackendLogger = { log };
  const { backend } = await loadTensorflow({ logger });
  const events = parseMovieLensRatings(readFileSync(path.join(options.dataDir, 'u.data'), 'utf8'));
  const items = parseMovieLensItems(readFileSync(path.join(options.dataDir, 'u.item'), 'latin1'));
  const split = options.split ?? 'global';
  const data = buildTrainingData(events, items, { negativeSource: 'both', negativesPerPositive: options.negativesPerPositive ?? 1, split, testFraction: 0.2, validationFraction: 0.1 });
  const examples = { train: data.train.length, validation: data.validation.length, test: data.test.length };
  log(`ml-100k: ${events.length} ratings, ${items.length} items → ${examples.train} train / ${examples.validation} validation / ${examples.test} held-out examples (${split} split${data.cutoff === null ? '' : `, cutoff ${new Date(data.cutoff).toISOString()}`})`);

  const rows: RankerAucRow[] = [];
  for (const kind of options.kinds ?? MODEL_KINDS) {
    const trained = await trainModelOnData(data, kind, { buckets: ML_100K_BUCKETS, fields: options.fields ?? ML_100K_FIELDS, fit: options.fit, version: `ml-100k-${kind}` }, (progress) => {
      if (progress.stage === 'epoch') log(`  ${kind} epoch ${progress.epoch}: train loss ${progress.trainLoss.toFixed(4)}, validation AUC ${progress.validationAuc.toFixed(4)}`);
    });
    trained.ranker.dispose();
    rows.push({ kind, auc: trained.auc, logloss: trained.logloss, trainMs: trained.trainMs, epochs: trained.epochs });
    log(`${kind}: AUC ${trained.auc.toFixed(4)}, logloss ${trained.logloss.toFixed(4)}, ${(trained.trainMs / 1000).toFixed(1)} s, ${trained.epochs} epochs`);
  }
  return { backend, split, examples, rows };
}

/** A Markdown table, each model's AUC next to the logistic-regression baseline's. */
export function formatRankerAucReport(report: RankerAucReport): string {
  const baseline = report.rows.find((r) => r.kind === 'lr');
  const lines = [
    `backend: ${report.backend}; ${report.split} chronological split; examples: ${report.examples.train} train, ${report.examples.validation} validation, ${report.examples.test} held-out`,
    '',
    '| model | AUC | Δ AUC vs LR | logloss | epochs | train time |',
    '|---|---|---|---|---|---|',
    ...report.rows.map((r) => {
      const delta = baseline ? (r.auc - baseline.auc >= 0 ? '+' : '') + (r.auc - baseline.auc).toFixed(4) : 'n/a';
      return `| ${r.kind} | ${r.auc.toFixed(4)} | ${delta} | ${r.logloss.toFixed(4)} | ${r.epochs} | ${(r.trainMs / 1000).toFixed(1)} s |`;
    }),
  ];
  return lines.join('\n');
}
