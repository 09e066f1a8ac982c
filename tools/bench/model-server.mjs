#!/usr/bin/env node
/**
 * Predict latency and throughput of the model-server (built dist/, embedded profile): trains a
 * learned ranker on synthetic events into a scratch DATA_DIR with the ranker training use case,
 * starts `dist/apps/model-server/src/main.js` on it, then sends N predict calls of `--candidates`
 * candidates each at a fixed concurrency after a warm-up, and prints p50/p90/p99/max latency and
 * throughput (calls/s and candidates/s). `--batch L` sends batch calls of L lists instead. The same
 * scoring in-process (LearnedRanker.score, no HTTP) is timed too, to show the transport's share.
 *
 *   node tools/build/build.mjs                     # once: the bench runs dist/
 *   node tools/bench/model-server.mjs [--model lr] [--candidates 100] [--requests 3000]
 *        [--concurrency 8] [--warmup 300] [--batch 0] [--json]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const require = createRequire(join(root, 'package.json'));

const { values: opt } = parseArgs({
  options: {
    model: { type: 'string', default: 'lr' },
    candidates: { type: 'string', default: '100' },
    requests: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '300' },
    batch: { type: 'string', default: '0' },
    json: { type: 'boolean', default: false },
  },
});
const MODEL = opt.model;
const CANDIDATES = Number(opt.candidates);
const N = Number(opt.requests);
const CONCURRENCY = Number(opt.concurrency);
const WARMUP = Number(opt.warmup);
const BATCH = Number(opt.batch);
const SCENARIO = 'shop';
const TENANT = 'bench';
const say = (msg) => (opt.json ? process.stderr : process.stdout).write(`${msg}\n`);

const main = join(root, 'dist/apps/model-server/src/main.js');
const dist = (path) => require(join(root, 'dist', path));
let server = null;
const workDir = mkdtempSync(join(tmpdir(), 'lemo-model-server-bench-'));

try {
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build/build.mjs)`);
  const dataDir = join(workDir, 'data');
  const { items, users, inProcess } = await trainRanker(dataDir);
  const port = await freePort();
  await startServer(dataDir, port);

  const url = `http://127.0.0.1:${port}/v1/models/${SCENARIO}/${MODEL}/${BATCH > 0 ? 'predict/batch' : 'predict'}`;
  const now = Date.now();
  let next = 0;
  const list = () => {
    const offset = (next++ * 37) % Math.max(1, items.length - CANDIDATES);
    return { context: { user_id: users[next % users.length], timestamp: now }, candidates: items.slice(offset, offset + CANDIDATES) };
  };
  const body = () => JSON.stringify(BATCH > 0 ? { requests: Array.from({ length: BATCH }, list) } : list());
  const call = async () => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant-id': TENANT }, body: body() });
    if (response.status !== 200) throw new Error(`predict answered ${response.status}: ${await response.text()}`);
    await response.json();
  };

  /** `total` calls, `CONCURRENCY` in flight; returns each call's latency in ms. */
  const runPhase = async (total) => {
    const latencies = new Float64Array(total);
    let issued = 0;
    const worker = async () => {
      while (issued < total) {
        const i = issued++;
        const t0 = performance.now();
        await call();
        latencies[i] = performance.now() - t0;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
    return { latencies, seconds: (performance.now() - t0) / 1000 };
  };

  say(`warm-up: ${WARMUP} calls`);
  if (WARMUP > 0) await runPhase(WARMUP);
  say(`measuring: ${N} calls of ${BATCH > 0 ? `${BATCH} lists × ` : ''}${CANDIDATES} candidates, concurrency ${CONCURRENCY}, model ${MODEL}`);
  const { latencies, seconds } = await runPhase(N);

  const sorted = Float64Array.from(latencies).sort();
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const round = (x) => Math.round(x * 100) / 100;
  const perCall = CANDIDATES * Math.max(1, BATCH);
  const result = {
    model: MODEL,
    candidates: CANDIDATES,
    batch_lists: BATCH,
    requests: N,
    concurrency: CONCURRENCY,
    p50_ms: round(pct(50)),
    p90_ms: round(pct(90)),
    p99_ms: round(pct(99)),
    max_ms: round(sorted[sorted.length - 1]),
    throughput_calls_per_s: Math.round(N / seconds),
    throughput_candidates_per_s: Math.round((N * perCall) / seconds),
    in_process_score_p50_ms: round(inProcess.p50),
    in_process_score_p99_ms: round(inProcess.p99),
    node: process.version,
    cpus: cpus().length,
  };
  if (opt.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    say(
      `predict (${perCall} candidates per call): p50 ${result.p50_ms} ms, p90 ${result.p90_ms} ms, p99 ${result.p99_ms} ms, max ${result.max_ms} ms, ` +
        `${result.throughput_calls_per_s} calls/s = ${result.throughput_candidates_per_s} candidates/s; ` +
        `in-process LearnedRanker.score of ${CANDIDATES}: p50 ${result.in_process_score_p50_ms} ms, p99 ${result.in_process_score_p99_ms} ms`,
    );
} catch (error) {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
} finally {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((done) => (server.exitCode !== null ? done() : server.once('exit', done)));
  }
  rmSync(workDir, { recursive: true, force: true });
}

/**
 * Trains the ranker into DATA_DIR (SQLite) with the application's own use cases, then times the
 * in-process scoring of one list. Returns the candidates' wire form and the user ids.
 */
async function trainRanker(dataDir) {
  require('reflect-metadata');
  const { NestFactory } = require('@nestjs/core');
  const { loadConfig } = dist('libs/platform/config/src/index.js');
  const { CoreModule } = dist('libs/runtime/src/index.js');
  const app = dist('libs/application/src/index.js');
  const { LearnedRanker } = dist('libs/ranking/src/index.js');
  const { generateSyntheticDataset } = dist('tools/synthetic/src/index.js');
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const context = await NestFactory.createApplicationContext(CoreModule.forConfig(config), { logger: false });
  const data = generateSyntheticDataset({ seed: 21, items: 2000, users: 500, events: 20_000, scenarioId: SCENARIO });
  const t0 = performance.now();
  await context.get(app.TenantAdminUseCase).createTenant({ tenant_id: TENANT, name: 'Bench', quotas: {} });
  await context.get(app.ScenariosUseCase).create(TENANT, { scenario_id: SCENARIO, name: 'Shop', scenario_type: 'ecommerce', description: '', status: 'active' });
  for (let i = 0; i < data.items.length; i += 1000) await context.get(app.ItemsUseCase).batchUpsert(TENANT, SCENARIO, data.items.slice(i, i + 1000));
  for (let i = 0; i < data.events.length; i += 1000) await context.get(app.TrackBehaviorsUseCase).track(TENANT, data.events.slice(i, i + 1000));
  const trained = await context.get(app.RankerTrainingUseCase).train({ tenant_id: TENANT, scenario_id: SCENARIO, algorithm: MODEL });
  say(`trained ${trained.model_id} ${trained.version} (AUC ${trained.metrics.auc?.toFixed(3)}) on ${data.events.length} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const items = data.items.map((item) => ({ item_id: item.item_id, category: item.metadata.category, tags: item.metadata.tags, published_at: item.metadata.publish_time }));
  const { ModelArtifactStore } = dist('libs/domain/src/index.js');
  const ranker = await LearnedRanker.load(await context.get(ModelArtifactStore).get(TENANT, `rank/${trained.model_id}/${trained.version}`));
  const rankingItems = items.slice(0, CANDIDATES).map((c) => ({ itemId: c.item_id, category: c.category, tags: c.tags, publishedAt: c.published_at }));
  const times = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    ranker.score({ userId: data.userIds[i % data.userIds.length], now: Date.now() }, rankingItems);
    times.push(performance.now() - t);
  }
  ranker.dispose();
  times.sort((a, b) => a - b);
  await context.close();
  return { items, users: data.userIds, inProcess: { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] } };
}

async function startServer(dataDir, port) {
  server = spawn(process.execPath, [main], {
    cwd: workDir,
    env: { ...process.env, PROFILE: 'embedded', DATA_DIR: dataDir, HOST: '127.0.0.1', HEALTH_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the model-server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/live`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error('the model-server did not answer /health/live within 120 s');
}

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? ok(address.port) : fail(new Error('no port'))));
    });
  });
}
