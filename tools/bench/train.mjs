#!/usr/bin/env node
// Training benchmark of the offline models: ALS, BPR and item-item cosine
// similarity on one synthetic implicit-feedback matrix, and the learned rankers
// (lr, deepfm) on the same events with their negative sampling. Not a test: it
// reports wall time, CPU time and peak RSS of each algorithm (and the rankers'
// held-out AUC). Each algorithm runs in its own child process, so one's peak
// memory is not another's baseline; the child generates the same seeded data
// set itself. Runs the dist/ build (`node tools/build/build.mjs libs/domain
// libs/features libs/ranking` or `npm run build` first).
//
// Usage:
//   node tools/bench/train.mjs [--users 50000] [--items 20000] [--events 1000000]
//                              [--clusters 20] [--only als,bpr,item_cf,lr,deepfm] [--json] [--out file.json]
//   Ranker params: '{"deepfm":{"fit":{"epochs":3}},"lr":{"data":{"negativesPerPositive":4}}}'
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const features = (file) => require(path.join(root, 'dist/libs/features/src', file));
const ranking = (file) => require(path.join(root, 'dist/libs/ranking/src/learned', file));

const ALGORITHMS = ['als', 'bpr', 'item_cf', 'lr', 'deepfm'];
const RANKERS = new Set(['lr', 'deepfm']);
/**
 * The rankers' default epochs here: millions of examples per epoch on the wasm
 * backend; a bigger cap (`--params '{"deepfm":{"fit":{"epochs":20}}}'`) mostly
 * buys early-stopping epochs once the validation AUC has flattened.
 */
const RANKER_EPOCHS = 3;
/** Heap for the ranker children: a few million example objects do not fit Node's default. */
const RANKER_HEAP_MB = 12_288;

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50000' },
    items: { type: 'string', default: '20000' },
    events: { type: 'string', default: '1000000' },
    clusters: { type: 'string', default: '20' },
    /** Share of a user's events inside the user's cluster; the rest are uniform over clusters. */
    affinity: { type: 'string', default: '0.8' },
    seed: { type: 'string', default: '7' },
    only: { type: 'string', default: ALGORITHMS.join(',') },
    /** Model params as JSON per algorithm, e.g. '{"als":{"factors":32}}'. */
    params: { type: 'string', default: '{}' },
    json: { type: 'boolean', default: false },
    out: { type: 'string' },
    /** Internal: run one algorithm in this process and send the result to the parent. */
    child: { type: 'string' },
  },
});
const size = {
  users: Number(args.users),
  items: Number(args.items),
  events: Number(args.events),
  clusters: Number(args.clusters),
  affinity: Number(args.affinity),
  seed: Number(args.seed),
};
const log = (message) => process.stderr.write(`[bench:train] ${message}\n`);

/** The library's seeded PRNG (the same sequence as the training code's). */
const { mulberry32: seededRandom } = features('models/random.js');

/**
 * Events in time order: user activity is skewed (a power of a uniform draw), each
 * user belongs to cluster user % clusters and stays inside it with probability
 * `affinity`; inside a cluster item popularity is Zipf-like. Action weights
 * 1–5 (click … purchase) so repeated and stronger actions weigh more.
 */
function generateLog({ users, items, events, clusters, affinity, seed }) {
  const { InteractionLog } = features('similarity/interaction-log.js');
  const random = seededRandom(seed);
  const perCluster = Math.floor(items / clusters);
  const log = new InteractionLog(events);
  for (let e = 0; e < events; e++) {
    const user = Math.min(users - 1, Math.floor(users * random() ** 1.6));
    const cluster = random() < affinity ? user % clusters : Math.floor(random() * clusters);
    const rank = Math.min(perCluster - 1, Math.floor((perCluster + 1) ** (random() ** 1.1) - 1));
    const weight = [1, 1, 1, 2, 5][Math.floor(random() * 5)];
    log.push(user, cluster * perCluster + rank, weight);
  }
  return log;
}

/** generateLog's weights as the actions the rankers read (the positive ones of the contract). */
const ACTION_OF_WEIGHT = { 1: 'click', 2: 'like', 5: 'purchase' };

/**
 * The same seeded log as behaviour events for the rankers: one event a second in
 * log order (so the global time split holds out the latest 20 %), items in the
 * category of their cluster. No impressions, so negatives are sampled
 * (negativesPerPositive, by popularity), as for a tenant that logs none.
 */
function rankerInput() {
  const interactions = generateLog(size);
  const perCluster = Math.floor(size.items / size.clusters);
  const start = Date.UTC(2026, 0, 1);
  const events = new Array(interactions.length);
  for (let e = 0; e < interactions.length; e++) {
    const action = ACTION_OF_WEIGHT[interactions.weights[e]];
    events[e] = { user_id: `u${interactions.users[e]}`, item_id: `i${interactions.items[e]}`, action_type: action, timestamp: start + e * 1000 };
  }
  const items = Array.from({ length: size.items }, (_, i) => ({ itemId: `i${i}`, category: `c${Math.min(size.clusters - 1, Math.floor(i / perCluster))}`, publishedAt: start }));
  return { events, items };
}

async function runRanker(kind) {
  const { buildTrainingData } = ranking('training-data.js');
  const { trainModelOnData } = ranking('train-ranker.js');
  const { loadTensorflow } = ranking('tensorflow-backend.js');
  const { backend, skipped } = await loadTensorflow();
  const params = JSON.parse(args.params)[kind] ?? {};
  const started = performance.now();
  const { events, items } = rankerInput();
  const data = buildTrainingData(events, items, params.data ?? {});
  const dataMs = performance.now() - started;
  const baselineRss = process.memoryUsage().rss;
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const epochs = [];
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  const fit = { epochs: RANKER_EPOCHS, ...params.fit };
  const trained = await trainModelOnData(data, kind, { fit, hyperparameters: params.hyperparameters }, (progress) => {
    if (progress.stage !== 'epoch') return;
    epochs.push({ epoch: progress.epoch, train_loss: round(progress.trainLoss), validation_auc: round(progress.validationAuc) });
    log(`${kind} epoch ${progress.epoch}/${progress.epochs}: loss ${progress.trainLoss.toFixed(4)}, validation AUC ${progress.validationAuc.toFixed(4)}`);
  });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.send({
    algorithm: kind,
    events: events.length,
    examples: { train: data.train.length, validation: data.validation.length, test: data.test.length, negatives_from: data.negativesFrom },
    data_ms: Math.round(dataMs),
    train_wall_ms: Math.round(wallMs),
    train_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    baseline_rss_mb: mb(baselineRss),
    peak_rss_mb: mb(peakRss),
    max_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
    backend,
    backend_skipped: skipped,
    params: { fit, hyperparameters: trained.ranker.header.hyperparameters, data: params.data ?? {} },
    epochs_run: trained.epochs,
    per_epoch: epochs,
    auc: round(trained.auc),
    logloss: round(trained.logloss),
  });
  trained.ranker.dispose();
}

const round = (value) => Number(value.toFixed(4));

async function runChild(algorithm) {
  if (RANKERS.has(algorithm)) return runRanker(algorithm);
  const { buildUserItemMatrix } = features('similarity/user-item-matrix.js');
  const started = performance.now();
  const matrix = buildUserItemMatrix(generateLog(size), size.users, size.items, 200);
  const dataMs = performance.now() - started;
  const baselineRss = process.memoryUsage().rss;
  const params = JSON.parse(args.params)[algorithm] ?? {};
  let peakRss = baselineRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let progressCalls = 0;
  const onProgress = () => void progressCalls++;
  const cpuBefore = process.cpuUsage();
  const t0 = performance.now();
  let detail;
  if (algorithm === 'als' || algorithm === 'bpr') {
    const { AlsTrainer } = features('models/als.js');
    const { BprTrainer } = features('models/bpr.js');
    const trainer = algorithm === 'als' ? new AlsTrainer() : new BprTrainer();
    const model = await trainer.train(matrix, params, onProgress);
    detail = { params: model.params, artifact_bytes: model.serialize().byteLength, in_cluster_top10: inClusterTop10(model, matrix) };
  } else {
    const { CosineNeighbours } = features('similarity/cosine-neighbours.js');
    const topK = params.topK ?? 50;
    const neighbours = new CosineNeighbours(matrix, topK, params.shrinkage ?? 5);
    const outItems = new Int32Array(topK);
    const outScores = new Float64Array(topK);
    let pairs = 0;
    for (let item = 0; item < matrix.items; item++) {
      pairs += neighbours.compute(item, outItems, outScores);
      if (item % 512 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    detail = { params: { topK, shrinkage: params.shrinkage ?? 5, maxHistoryPerUser: 200 }, pairs };
  }
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.send({
    algorithm,
    nnz: matrix.userItems.length,
    data_ms: Math.round(dataMs),
    train_wall_ms: Math.round(wallMs),
    train_cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
    baseline_rss_mb: mb(baselineRss),
    peak_rss_mb: mb(peakRss),
    max_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
    progress_calls: progressCalls,
    ...detail,
  });
}

/**
 * Quality smoke check on the planted structure: the share of the top 10
 * (history excluded) inside the user's own cluster, over 500 users.
 */
function inClusterTop10(model, matrix) {
  const { historyOf } = features('models/implicit-model.js');
  const { selectTop } = features('numeric/select-top.js');
  const perCluster = Math.floor(size.items / size.clusters);
  const scores = new Float32Array(matrix.items);
  const ids = new Int32Array(matrix.items);
  const top = new Float64Array(matrix.items);
  let inCluster = 0;
  let total = 0;
  for (let user = 0; user < matrix.users; user += Math.max(1, Math.floor(matrix.users / 500))) {
    const history = historyOf(matrix, user);
    if (history.items.length === 0) continue;
    model.scoreUser(user, history, scores);
    for (const item of history.items) scores[item] = -Infinity;
    for (let i = 0; i < matrix.items; i++) {
      ids[i] = i;
      top[i] = scores[i];
    }
    const n = selectTop(ids, top, matrix.items, 10);
    for (let r = 0; r < n; r++) inCluster += Math.floor(ids[r] / perCluster) === user % size.clusters ? 1 : 0;
    total += n;
  }
  return Number((inCluster / total).toFixed(3));
}

const mb = (bytes) => Math.round(bytes / 2 ** 20);

function runInChild(algorithm) {
  return new Promise((resolve, reject) => {
    const execArgv = RANKERS.has(algorithm) ? [...process.execArgv, `--max-old-space-size=${RANKER_HEAP_MB}`] : process.execArgv;
    const child = fork(fileURLToPath(import.meta.url), [...process.argv.slice(2), '--child', algorithm], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
    let result;
    child.on('message', (message) => (result = message));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`${algorithm} exited with ${code}`))));
  });
}

if (args.child) {
  await runChild(args.child);
  process.exit(0);
} else {
  const runs = [];
  for (const algorithm of args.only.split(',')) {
    if (!ALGORITHMS.includes(algorithm)) throw new Error(`unknown algorithm ${algorithm}; one of ${ALGORITHMS.join(', ')}`);
    log(`${algorithm}: ${size.events} events, ${size.users} users × ${size.items} items ...`);
    const run = await runInChild(algorithm);
    // Each result as soon as it is in: a long run (the rankers) is not all-or-nothing.
    log(`${algorithm} done: ${JSON.stringify(run)}`);
    runs.push(run);
  }
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version, loadavg: os.loadavg().map((l) => Number(l.toFixed(2))) },
    dataset: size,
    runs,
  };
  if (args.out) writeFileSync(args.out, JSON.stringify(report, null, 2));
  if (args.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    console.table(
      runs.map((r) => ({
        algorithm: r.algorithm,
        'nnz / train examples': r.nnz ?? r.examples.train,
        'wall s': (r.train_wall_ms / 1000).toFixed(1),
        'cpu s': (r.train_cpu_ms / 1000).toFixed(1),
        'baseline RSS MB': r.baseline_rss_mb,
        'peak RSS MB': r.peak_rss_mb,
        'maxRSS MB': r.max_rss_mb,
        'in-cluster top10': r.in_cluster_top10 ?? '',
        'held-out AUC': r.auc ?? '',
      })),
    );
  }
}
