#!/usr/bin/env node
/**
 * gRPC latency of RecommendationService.GetRecommendations against the built all-in-one app
 * (embedded profile, in memory, demo data): starts it on spare ports, reads the demo tenant's key
 * from its start-up banner, then sends N requests at a fixed concurrency after a warm-up, cycling
 * through the demo users, and prints p50/p90/p99/max latency and throughput.
 *
 *   node tools/build/build.mjs                     # once: the bench runs dist/
 *   node tools/bench/grpc-recommend.mjs [--requests 5000] [--concurrency 16] [--warmup 500]
 *        [--count 20] [--users 500] [--debug] [--json]
 *
 * --debug sets `debug: true` on every request: the use case then skips the response cache, so
 * every call runs the whole pipeline (recall, ranking, rerank) and returns debug info. Without it,
 * a user's second request in the run is a response-cache hit (as in production until the user acts).
 * GRPC_ADDRESS=host:port (and LEMO_API_KEY) measure a server that is already running instead.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const require = createRequire(join(root, 'package.json'));
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const { values: opt } = parseArgs({
  options: {
    requests: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '500' },
    count: { type: 'string', default: '20' },
    users: { type: 'string', default: '500' },
    debug: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(opt.requests);
const CONCURRENCY = Number(opt.concurrency);
const WARMUP = Number(opt.warmup);
const COUNT = Number(opt.count);
const USERS = Number(opt.users);
const SCENARIO = 'home_feed'; // apps/all-in-one/src/demo-seeder.ts
const say = (msg) => (opt.json ? process.stderr : process.stdout).write(`${msg}\n`);

const main = join(root, 'dist/apps/all-in-one/src/main.js');
let server = null;
let workDir = null;

try {
  let address = process.env.GRPC_ADDRESS;
  let apiKey = process.env.LEMO_API_KEY;
  if (!address) {
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build/build.mjs)`);
    ({ address, apiKey } = await startApp());
  }
  if (!apiKey) throw new Error('no API key: set LEMO_API_KEY with GRPC_ADDRESS');

  const definition = protoLoader.loadSync(join(root, 'proto/recommender/v1/recommendation.proto'), {
    includeDirs: [join(root, 'proto')],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  const { RecommendationService } = grpc.loadPackageDefinition(definition).lemo.recommender.v1;
  const client = new RecommendationService(address, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('x-api-key', apiKey);

  let next = 0;
  const call = () =>
    new Promise((ok, fail) => {
      const user = `user_${String((next++ % USERS) + 1).padStart(5, '0')}`;
      client.getRecommendations({ scenario_id: SCENARIO, user_id: user, count: COUNT, debug: opt.debug }, metadata, { deadline: Date.now() + 10_000 }, (error, response) =>
        error ? fail(error) : ok(response),
      );
    });

  /** `total` calls, `CONCURRENCY` in flight; returns each call's latency in ms. */
  const runPhase = async (total) => {
    const latencies = new Float64Array(total);
    let issued = 0;
    let empty = 0;
    const worker = async () => {
      while (issued < total) {
        const i = issued++;
        const t0 = performance.now();
        const response = await call();
        latencies[i] = performance.now() - t0;
        if (!response.items?.length) empty++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
    return { latencies, seconds: (performance.now() - t0) / 1000, empty };
  };

  say(`warm-up: ${WARMUP} calls`);
  if (WARMUP > 0) await runPhase(WARMUP);
  say(`measuring: ${N} calls, concurrency ${CONCURRENCY}, count ${COUNT}, ${USERS} users, debug ${opt.debug}`);
  const { latencies, seconds, empty } = await runPhase(N);
  client.close();

  const sorted = Float64Array.from(latencies).sort();
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
  const round = (x) => Math.round(x * 100) / 100;
  const result = {
    requests: N,
    concurrency: CONCURRENCY,
    warmup: WARMUP,
    count: COUNT,
    users: USERS,
    debug: opt.debug,
    empty_responses: empty,
    p50_ms: round(pct(50)),
    p90_ms: round(pct(90)),
    p99_ms: round(pct(99)),
    max_ms: round(sorted[sorted.length - 1]),
    mean_ms: round(latencies.reduce((a, b) => a + b, 0) / N),
    throughput_rps: Math.round(N / seconds),
    seconds: round(seconds),
    node: process.version,
    cpus: cpus().length,
  };
  if (opt.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else
    say(
      `GetRecommendations: p50 ${result.p50_ms} ms, p90 ${result.p90_ms} ms, p99 ${result.p99_ms} ms, max ${result.max_ms} ms, ` +
        `${result.throughput_rps} req/s (${N} calls in ${result.seconds} s; ${empty} empty)`,
    );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  if (server) {
    server.kill('SIGTERM');
    await new Promise((done) => (server.exitCode !== null ? done() : server.once('exit', done)));
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}

/** Starts the all-in-one (embedded, in memory, demo seed) on spare ports; resolves when the banner shows the demo key. */
async function startApp() {
  const httpPort = Number(process.env.HTTP_PORT ?? 10991);
  const grpcPort = Number(process.env.GRPC_PORT ?? 10992);
  // cwd: a scratch folder, so nothing the app writes next to DATA_DIR lands in the repository.
  workDir = mkdtempSync(join(tmpdir(), 'lemo-grpc-bench-'));
  server = spawn(process.execPath, [main], {
    cwd: workDir,
    env: {
      ...process.env,
      PROFILE: 'embedded',
      DATA_DIR: ':memory:',
      DEMO_SEED: 'true',
      HOST: '127.0.0.1',
      HTTP_PORT: String(httpPort),
      GRPC_PORT: String(grpcPort),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const t0 = performance.now();
  const apiKey = await new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the app did not print its demo key within 180 s:\n${out}`)), 180_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /Demo API key\s+(\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        if (match[1].startsWith('(')) fail(new Error('the demo key is not on disk'));
        else ok(match[1]);
      }
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the app exited with ${code} before it was ready:\n${out}`));
    });
  });
  say(`all-in-one up with demo data in ${((performance.now() - t0) / 1000).toFixed(1)} s (gRPC 127.0.0.1:${grpcPort})`);
  return { address: `127.0.0.1:${grpcPort}`, apiKey };
}
