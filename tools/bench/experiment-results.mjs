#!/usr/bin/env node
// Time to compute an experiment's results over 1M behaviour events through the AnalyticsStore, on
// both adapters: the embedded SQLite store (a file in a temporary directory) and the real ClickHouse
// of the dev stack (.stack/env; a database of its own, dropped at the end). Not a test: it loads
// synthetic events of a running two-variant experiment (~300k users) with insertBehaviors, then
// times what GET /experiments/{id}/results runs (ExperimentsUseCase.results): the store's
// experimentStats over the results range, variantAggregates and computeExperimentResults
// (statistics). "cold" is the first computation on a freshly opened store (a new SQLite connection,
// a new ClickHouse client; the OS page cache and the server's caches stay as they are); "warm" the
// following ones. Ranges: `hour-aligned` is the range results() uses (creation − 10 min to end +
// 10 min, widened to whole UTC hours), `exact` the same unwidened (what results() used before, any
// millisecond: ClickHouse must then read the events instead of its hourly experiment rollup).
//
// Runs the dist/ build:
//   node tools/build/build.mjs libs/domain libs/platform/config libs/storage/embedded libs/storage/clickhouse libs/application
//   node tools/bench/experiment-results.mjs [--events 1000000] [--users 300000] [--runs 7] [--only sqlite,clickhouse]
//        [--sqlite-baseline-index] [--json]
// --sqlite-baseline-index swaps the covering index for the one before it (tenant_id, experiment_id, timestamp)
// after loading, to compare.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stackEnv } from './stack-env.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(root, 'package.json'));
const dist = (file) => require(path.join(root, 'dist', file));

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    users: { type: 'string', default: '300000' },
    runs: { type: 'string', default: '7' },
    batch: { type: 'string', default: '20000' },
    only: { type: 'string', default: 'sqlite,clickhouse' },
    'sqlite-baseline-index': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(args.events);
const USERS = Number(args.users);
const RUNS = Number(args.runs);
const BATCH = Number(args.batch);
const log = (message) => process.stderr.write(`[bench:experiment-results] ${message}\n`);

const { EmbeddedStorage } = dist('libs/storage/embedded/src/index.js');
const { ClickHouseStorage } = dist('libs/storage/clickhouse/src/index.js');
const { toRow } = dist('libs/storage/clickhouse/src/analytics/analytics-store.adapter.js');
const { computeExperimentResults } = dist('libs/application/src/experiments/experiment-results.js');
const { variantAggregates } = dist('libs/application/src/experiments/variant-aggregates.js');

const TENANT = 'bench';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SKEW = 10 * 60 * 1000;
/** The experiment ran 7 days from an instant that is no hour boundary, as a real start is. */
const CREATED_AT = Date.parse('2026-11-01T09:17:23.456Z');
const ENDED_AT = CREATED_AT + 7 * DAY;
const EXPERIMENT = {
  experiment_id: 'exp_bench',
  confidence_level: 0.95,
  min_sample_size: 1000,
  variants: [
    { variant_id: 'control', name: 'Control', traffic_percent: 50, is_control: true, config_overrides: {} },
    { variant_id: 'treatment', name: 'Treatment', traffic_percent: 50, is_control: false, config_overrides: {} },
  ],
};
const RANGES = {
  exact: { from: CREATED_AT - SKEW, to: ENDED_AT + SKEW },
  'hour-aligned': { from: Math.floor((CREATED_AT - SKEW) / HOUR) * HOUR, to: Math.ceil((ENDED_AT + SKEW) / HOUR) * HOUR },
};

/** The library's seeded PRNG (the same sequence as the training code's). */
const { mulberry32: seededRandom } = dist('libs/features/src/models/random.js');

/**
 * The events in batches, the same for a seed: users drawn with a skew (some much more active), each
 * in a fixed group by user index; 70 % impressions, clicks at 8 % (control) / 9 % (treatment) of
 * events, 2 % purchases, the rest likes and shares; spread over the experiment's 7 days.
 */
function* eventBatches() {
  const random = seededRandom(20261129);
  const received = new Date(ENDED_AT).toISOString();
  let batch = [];
  for (let i = 0; i < EVENTS; i++) {
    const user = Math.floor(Math.pow(random(), 1.3) * USERS);
    const group = user % 2 === 0 ? 'control' : 'treatment';
    const roll = random();
    const clickRate = group === 'control' ? 0.08 : 0.09;
    const action = roll < 0.7 ? 'impression' : roll < 0.7 + clickRate ? 'click' : roll < 0.72 + clickRate ? 'purchase' : roll < 0.86 ? 'like' : 'share';
    batch.push({
      tenant_id: TENANT,
      event_id: `e${i}`,
      scenario_id: 'feed',
      user_id: `u${user}`,
      item_id: `i${Math.floor(random() * 20000)}`,
      action_type: action,
      timestamp: CREATED_AT + Math.floor(random() * (ENDED_AT - CREATED_AT)),
      received_at: received,
      experiment_id: EXPERIMENT.experiment_id,
      experiment_group: group,
    });
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** What ExperimentsUseCase.results runs once the experiment document is read. */
async function computeResults(analytics, range) {
  const stats = await analytics.experimentStats(TENANT, EXPERIMENT.experiment_id, range);
  return computeExperimentResults(EXPERIMENT, variantAggregates(stats, 'purchase'));
}

const percentile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

async function timeOnce(analytics, range) {
  const start = performance.now();
  const results = await computeResults(analytics, range);
  return { ms: performance.now() - start, results };
}

/** Cold: first computation on a fresh store, `RUNS` times; warm: `RUNS` more on the last one. */
async function measure(open, close, name) {
  const report = {};
  for (const [rangeName, range] of Object.entries(RANGES)) {
    const cold = [];
    const warm = [];
    let checked = null;
    for (let run = 0; run < RUNS; run++) {
      const store = await open();
      try {
        const first = await timeOnce(store.analytics, range);
        cold.push(first.ms);
        checked = first.results;
        if (run === RUNS - 1) for (let w = 0; w < RUNS; w++) warm.push((await timeOnce(store.analytics, range)).ms);
      } finally {
        await close(store);
      }
    }
    const users = checked.variants.map((variant) => variant.users);
    report[rangeName] = {
      cold_ms: { p50: percentile(cold, 0.5), min: Math.min(...cold), max: Math.max(...cold) },
      warm_ms: { p50: percentile(warm, 0.5), min: Math.min(...warm), max: Math.max(...warm) },
      runs: RUNS,
      exposed_users: users,
      impressions: checked.variants.map((variant) => variant.impressions),
      ctr_p_value: checked.variants[1].metrics.ctr?.vs_control?.p_value ?? null,
    };
    log(
      `${name} ${rangeName}: cold p50 ${report[rangeName].cold_ms.p50.toFixed(1)} ms, warm p50 ${report[rangeName].warm_ms.p50.toFixed(1)} ms, users ${users.join('/')}`,
    );
  }
  return report;
}

/**
 * SQLite: insertBehaviors. ClickHouse: the adapter's own rows straight into user_behaviors (its views
 * fill the rollups as for any insert): insertBehaviors first looks up which of a batch's ids are
 * stored, a scan that grows with the table, which makes a 1M bulk load through it take hours on chDB.
 */
async function load(store, name, insert = (batch) => store.analytics.insertBehaviors(batch)) {
  const start = performance.now();
  let done = 0;
  for (const batch of eventBatches()) {
    await insert(batch);
    done += batch.length;
    if (done % 200_000 === 0) log(`${name}: ${done.toLocaleString('en')} events loaded`);
  }
  const seconds = (performance.now() - start) / 1000;
  const stored = await store.analytics.count(TENANT);
  if (stored !== EVENTS) throw new Error(`${name}: ${stored} events stored, ${EVENTS} expected`);
  log(`${name}: ${EVENTS.toLocaleString('en')} events in ${seconds.toFixed(1)} s (${Math.round(EVENTS / seconds).toLocaleString('en')}/s)`);
  return { load_s: seconds, events_per_s: EVENTS / seconds };
}

async function benchSqlite() {
  const dir = mkdtempSync(path.join(tmpdir(), 'lemo-bench-results-'));
  const open = async () => EmbeddedStorage.open({ dataDir: dir, vectorDimension: 8 });
  const close = (store) => store.close();
  try {
    const first = await open();
    let loaded;
    try {
      loaded = await load(first, 'sqlite');
      if (args['sqlite-baseline-index']) {
        first.db.handle.exec(`DROP INDEX IF EXISTS analytics_experiment_covering;
          CREATE INDEX IF NOT EXISTS analytics_by_experiment_time ON analytics_behaviors (tenant_id, experiment_id, timestamp) WHERE experiment_id <> '';`);
        log('sqlite: baseline index (tenant_id, experiment_id, timestamp) instead of the covering one');
      }
      first.db.handle.exec('ANALYZE');
    } finally {
      await close(first);
    }
    return { ...loaded, index: args['sqlite-baseline-index'] ? 'baseline' : 'covering', ...(await measure(open, close, 'sqlite')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchClickHouse() {
  const env = stackEnv(['CLICKHOUSE_HOST']);
  const options = {
    url: `http://${env.CLICKHOUSE_HOST}:${env.CLICKHOUSE_PORT ?? 8123}`,
    database: `lemo_bench_${Date.now().toString(36)}`,
    retentionDays: 3650,
    requestTimeoutMs: 600_000,
  };
  const open = () => ClickHouseStorage.open(options);
  const close = (store) => store.close();
  const first = await open();
  try {
    const loaded = await load(first, 'clickhouse', (batch) => first.connection.insert('user_behaviors', batch.map(toRow), { async_insert: 0 }));
    return { ...loaded, ...(await measure(open, close, 'clickhouse')) };
  } finally {
    await first.connection
      .command(`DROP DATABASE IF EXISTS \`${options.database}\``)
      .catch((error) => log(`could not drop ${options.database}: ${error.message}`));
    await close(first);
  }
}

const only = new Set(args.only.split(','));
const report = { events: EVENTS, users: USERS, runs: RUNS, node: process.version };
if (only.has('sqlite')) report.sqlite = await benchSqlite();
if (only.has('clickhouse')) report.clickhouse = await benchClickHouse();

if (args.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  console.log(`| adapter | range | cold p50 (min–max) | warm p50 (min–max) | exposed users per variant |`);
  console.log('|---|---|---|---|---|');
  for (const adapter of ['sqlite', 'clickhouse']) {
    if (!report[adapter]) continue;
    for (const range of Object.keys(RANGES)) {
      const r = report[adapter][range];
      const span = (m) => `${m.p50.toFixed(0)} ms (${m.min.toFixed(0)}–${m.max.toFixed(0)})`;
      console.log(`| ${adapter} | ${range} | ${span(r.cold_ms)} | ${span(r.warm_ms)} | ${r.exposed_users.join(' / ')} |`);
    }
    console.log(`| ${adapter} | load | ${report[adapter].load_s.toFixed(1)} s, ${Math.round(report[adapter].events_per_s)} events/s | | |`);
  }
}
