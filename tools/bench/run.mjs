#!/usr/bin/env node
// Throughput and latency benchmark of the REST API on the embedded profile.
// Loads a tenant of configurable size, then measures POST /recommend (cached
// and uncached), POST /behaviors/track and POST /behaviors/track/batch.
// Not a test: it reports figures. Usage (after `npm run build`):
//   node tools/bench/run.mjs [--items 100000] [--users 10000] [--events 1000000]
//                            [--duration 20] [--connections 16] [--port 10181] [--out file.json]
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { generateSyntheticDataset, seededRandom } = require(path.join(root, 'dist/tools/synthetic/src/index.js'));

const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    users: { type: 'string', default: '10000' },
    events: { type: 'string', default: '1000000' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '16' },
    port: { type: 'string', default: '10181' },
    out: { type: 'string' },
    /** Extra node flags for the server process, e.g. --cpu-prof. */
    'node-args': { type: 'string', default: '' },
  },
});
const size = { items: Number(args.items), users: Number(args.users), events: Number(args.events) };
const duration = Number(args.duration);
const connections = Number(args.connections);
const base = `http://127.0.0.1:${args.port}`;
const adminKey = 'bench-admin-key-0123456789';
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

let networkRetries = 0;

/** Calls the API; a dropped connection is retried, which is safe: batches are idempotent by item and event id. */
async function api(method, url, body, key) {
  let res;
  for (let attempt = 1; ; attempt++) {
    try {
      res = await fetch(base + url, { method, headers: { 'content-type': 'application/json', 'x-api-key': key }, body: body && JSON.stringify(body) });
      break;
    } catch (error) {
      if (attempt >= 5) throw error;
      networkRetries += 1;
      log(`${method} ${url}: ${error.cause?.code ?? error.message}, retry ${attempt}`);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
  const json = res.status === 204 ? null : await res.json();
  if (res.status >= 400) throw new Error(`${method} ${url} -> ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
  return json;
}

function startServer(dataDir) {
  const nodeArgs = args['node-args'].split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/apps/all-in-one/src/main.js')], {
    env: { ...process.env, HTTP_PORT: args.port, GRPC_PORT: String(Number(args.port) + 1), DATA_DIR: dataDir, DEMO_SEED: 'false', ADMIN_API_KEY: adminKey, LOG_LEVEL: 'error' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return child;
}

async function waitHealthy(timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become healthy');
}

async function inBatches(list, batchSize, parallel, send) {
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const start = next;
      next += batchSize;
      await send(list.slice(start, start + batchSize));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

function cannon(title, options) {
  log(`${title}: ${options.duration}s, ${options.connections} connections`);
  return new Promise((resolve, reject) => {
    autocannon({ url: base, ...options }, (error, result) => (error ? reject(error) : resolve({ title, result })));
  });
}

const summary = ({ title, result }, perRequest = 1) => ({
  benchmark: title,
  requests_per_s: Math.round(result.requests.average),
  items_per_s: Math.round(result.requests.average * perRequest),
  p50_ms: result.latency.p50,
  p99_ms: result.latency.p99,
  non_2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
});

async function main() {
  // Generated before the server starts, so no idle keep-alive connection goes stale meanwhile.
  log(`generating ${size.items} items, ${size.users} users, ${size.events} events`);
  const data = generateSyntheticDataset({ seed: 99, items: size.items, users: size.users, events: size.events, scenarioId: 'feed' });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lemo-bench-'));
  const server = startServer(dataDir);
  const report = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version }, profile: 'embedded', size, runs: [] };
  try {
    await waitHealthy();
    await api('POST', '/api/v1/tenants', { tenant_id: 'bench', name: 'Benchmark' }, adminKey);
    await api('PATCH', '/api/v1/tenants/bench', { quotas: { rate_limit_per_second: 1_000_000 } }, adminKey);
    const key = (await api('POST', '/api/v1/tenants/bench/api-keys', { name: 'bench', scopes: ['admin'] }, adminKey)).api_key;
    await api('POST', '/api/v1/scenarios', { scenario_id: 'feed', name: 'Feed', scenario_type: 'ecommerce' }, key);


    let started = Date.now();
    await inBatches(data.items, 1000, 2, (items) => api('POST', '/api/v1/items/feed/batch', { items }, key));
    report.load_items = { items: data.items.length, seconds: (Date.now() - started) / 1000, items_per_s: Math.round(data.items.length / ((Date.now() - started) / 1000)) };
    log(`items loaded: ${JSON.stringify(report.load_items)}`);

    started = Date.now();
    let accepted = 0;
    let rejected = 0;
    await inBatches(data.events, 1000, 4, async (events) => {
      const res = await api('POST', '/api/v1/behaviors/track/batch', { events }, key);
      accepted += res.accepted + res.duplicates;
      rejected += res.rejected;
    });
    const seconds = (Date.now() - started) / 1000;
    report.load_events = { events: data.events.length, accepted, rejected, seconds, events_per_s: Math.round(data.events.length / seconds), network_retries: networkRetries };
    log(`events loaded: ${JSON.stringify(report.load_events)}`);
    log('waiting 15 s for the item-similarity and vector jobs to settle');
    await new Promise((r) => setTimeout(r, 15_000));

    const random = seededRandom(5);
    const recommendBody = () => JSON.stringify({ scenario_id: 'feed', user_id: data.userIds[Math.floor(random() * data.userIds.length)], count: 10 });
    const headers = { 'content-type': 'application/json', 'x-api-key': key };
    const recommendRun = (title) =>
      cannon(title, { duration, connections, requests: [{ method: 'POST', path: '/api/v1/recommend', headers, setupRequest: (req) => ({ ...req, body: recommendBody() }) }] });

    report.runs.push(summary(await recommendRun('POST /recommend (response cache on, 60 s TTL)')));
    await api('PUT', '/api/v1/scenarios/feed', { config: { cache_ttl_seconds: 0 } }, key);
    report.runs.push(summary(await recommendRun('POST /recommend (no response cache: full pipeline)')));

    let eventSeq = 0;
    const event = () => ({
      event_id: `bench-${eventSeq++}`,
      scenario_id: 'feed',
      user_id: data.userIds[Math.floor(random() * data.userIds.length)],
      item_id: data.items[Math.floor(random() * data.items.length)].item_id,
      action_type: 'click',
    });
    report.runs.push(
      summary(
        await cannon('POST /behaviors/track', {
          duration: Math.min(duration, 10),
          connections,
          requests: [{ method: 'POST', path: '/api/v1/behaviors/track', headers, setupRequest: (req) => ({ ...req, body: JSON.stringify(event()) }) }],
        }),
      ),
    );
    const batchSize = 500;
    report.runs.push(
      summary(
        await cannon(`POST /behaviors/track/batch (${batchSize} events per request)`, {
          duration: Math.min(duration, 10),
          connections: 4,
          requests: [
            { method: 'POST', path: '/api/v1/behaviors/track/batch', headers, setupRequest: (req) => ({ ...req, body: JSON.stringify({ events: Array.from({ length: batchSize }, event) }) }) },
          ],
        }),
        batchSize,
      ),
    );
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.table(report.runs);
  const json = JSON.stringify(report, null, 2);
  if (args.out) writeFileSync(args.out, json);
  process.stdout.write(`${json}\n`);
}

main().catch((error) => {
  log(error.stack ?? String(error));
  if (error.cause) log(`cause: ${error.cause.stack ?? error.cause}`);
  process.exit(1);
});
