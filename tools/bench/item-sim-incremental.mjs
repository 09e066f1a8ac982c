#!/usr/bin/env node
// Incremental vs full item-similarity build. Runs the real ItemSimilarityBuilder
// on the seeded synthetic log of train.mjs (1M events, 50k users x 20k items in
// 20 clusters): a full build on the base events, then `--delta` new events
// arrive and `update()` applies them (measured), then a fresh builder does a
// full build on base + delta (measured), and the two sets of neighbour lists
// are compared entry by entry (they must be identical).
//
// `--store memory` (default): the event store and feature store are in memory
// (events are made into objects page by page, as an adapter parses them; lists
// are kept in a Map; both yield to the event loop per call, as I/O would), so
// the figures are the builder's own cost: reading and interning events, the
// matrix, the similarity work and building the lists. `--store sqlite`: the
// embedded profile's real SQLite event and feature stores in a temporary
// directory (the events are appended first, not timed).
// Runs the dist/ build: `node tools/build/build.mjs libs/domain libs/features libs/storage/embedded`.
//
// Usage: node tools/bench/item-sim-incremental.mjs [--events 1000000] [--delta 10000]
//          [--users 50000] [--items 20000] [--clusters 20] [--repeat 3] [--store memory|sqlite] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);
const { ItemSimilarityBuilder } = require(path.join(root, 'dist/libs/features/src/similarity/item-similarity.builder.js'));
const { WATERMARK_ITEM_ID } = require(path.join(root, 'dist/libs/features/src/similarity/neighbour-watermark.js'));

const { values: args } = parseArgs({
  options: {
    users: { type: 'string', default: '50000' },
    items: { type: 'string', default: '20000' },
    events: { type: 'string', default: '1000000' },
    delta: { type: 'string', default: '10000' },
    clusters: { type: 'string', default: '20' },
    affinity: { type: 'string', default: '0.8' },
    seed: { type: 'string', default: '7' },
    /** Incremental updates measured, each with its own `delta` new events. */
    repeat: { type: 'string', default: '3' },
    store: { type: 'string', default: 'memory' },
    json: { type: 'boolean', default: false },
  },
});
const size = {
  users: Number(args.users),
  items: Number(args.items),
  events: Number(args.events),
  delta: Number(args.delta),
  clusters: Number(args.clusters),
  affinity: Number(args.affinity),
  seed: Number(args.seed),
  repeat: Number(args.repeat),
  store: args.store,
};
const log = (message) => process.stderr.write(`[bench:item-sim-incremental] ${message}\n`);

/** The library's seeded PRNG (the same sequence as the training code's). */
const { mulberry32: seededRandom } = require(path.join(root, 'dist/libs/features/src/models/random.js'));

const ACTION_OF_WEIGHT = { 1: 'click', 2: 'like', 5: 'purchase' };

/** train.mjs's generator (same draws), as columns; one event a second in generation order. */
function generate(total) {
  const random = seededRandom(size.seed);
  const perCluster = Math.floor(size.items / size.clusters);
  const users = new Int32Array(total);
  const items = new Int32Array(total);
  const actions = new Array(total);
  for (let e = 0; e < total; e++) {
    const user = Math.min(size.users - 1, Math.floor(size.users * random() ** 1.6));
    const cluster = random() < size.affinity ? user % size.clusters : Math.floor(random() * size.clusters);
    const rank = Math.min(perCluster - 1, Math.floor((perCluster + 1) ** (random() ** 1.1) - 1));
    users[e] = user;
    items[e] = cluster * perCluster + rank;
    actions[e] = ACTION_OF_WEIGHT[[1, 1, 1, 2, 5][Math.floor(random() * 5)]];
  }
  return { users, items, actions };
}

const yieldToEventLoop = () => new Promise((resolve) => setImmediate(resolve));

/** Generated event e's own fields. */
const eventAt = (columns, e) => ({
  event_id: `e${e}`,
  user_id: `u${columns.users[e]}`,
  item_id: `i${columns.items[e]}`,
  action_type: columns.actions[e],
  timestamp: 1_700_000_000_000 + e * 1000,
  received_at: 1_700_000_000_000 + e * 1000,
});

/** EventStore.readAppended over the first `visible` generated events (the cursor is the position). */
class GeneratedEvents {
  constructor(columns) {
    this.columns = columns;
    this.visible = 0;
  }

  async readAppended(tenantId, scenarioId, { after, limit }) {
    await yieldToEventLoop();
    const from = after === undefined ? 0 : Number(after);
    const to = Math.min(this.visible, from + limit);
    const events = [];
    for (let e = from; e < to; e++) {
      events.push({
        tenant_id: tenantId,
        scenario_id: scenarioId,
        ...eventAt(this.columns, e),
      });
    }
    return { events, cursor: String(to) };
  }

  async count() {
    return this.visible;
  }
}

class MapFeatureStore {
  constructor() {
    this.lists = new Map();
    this.writes = 0;
  }

  async setNeighbours(tenantId, scenarioId, itemId, neighbours) {
    await yieldToEventLoop();
    this.writes++;
    this.lists.set(itemId, neighbours);
  }

  async neighbours(tenantId, scenarioId, itemIds) {
    return new Map(itemIds.filter((id) => this.lists.has(id)).map((id) => [id, this.lists.get(id)]));
  }
}

/** Wall and CPU time of `run`, and the longest stretch the event loop was blocked meanwhile (sampled by a 1 ms timer). */
async function measure(run) {
  let longestGap = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
  }, 1);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(timer);
  longestGap = Math.max(longestGap, performance.now() - last);
  return { result, wall_ms: Math.round(wallMs), cpu_ms: Math.round((cpu.user + cpu.system) / 1000), longest_block_ms: Math.round(longestGap) };
}

/** Entry-by-entry comparison of two sets of lists (watermark aside): the number of lists that differ. */
function differingLists(a, b) {
  let differing = 0;
  const keys = new Set([...a.keys(), ...b.keys()]);
  keys.delete(WATERMARK_ITEM_ID);
  for (const key of keys) {
    const x = a.get(key) ?? [];
    const y = b.get(key) ?? [];
    if (x.length !== y.length || x.some((n, k) => n.item_id !== y[k].item_id || n.score !== y[k].score)) differing++;
  }
  return differing;
}

const total = size.events + size.repeat * size.delta;
log(`generating ${total} events`);
const columns = generate(total);
const stores = await openStores(columns);

await stores.show(size.events);
log(`full build on ${size.events} events (${size.store} stores)`);
const builder = new ItemSimilarityBuilder(stores.events, stores.features);
const baseFull = await measure(() => builder.build('bench', 'home'));
const updates = [];
for (let r = 0; r < size.repeat; r++) {
  await stores.show(size.events + (r + 1) * size.delta);
  const writesBefore = stores.writes();
  log(`incremental update ${r + 1}/${size.repeat}: ${size.delta} new events`);
  const update = await measure(() => builder.update('bench', 'home'));
  updates.push({ ...update, list_writes: stores.writes() - writesBefore });
}
const listsAfterUpdates = await stores.lists();

log(`full build on ${total} events (fresh builder)`);
const full = await measure(() => new ItemSimilarityBuilder(stores.events, stores.features).build('bench', 'home'));
const differing = differingLists(listsAfterUpdates, await stores.lists());
await stores.close();

const report = {
  data: size,
  base_full: baseFull,
  updates,
  full_after: full,
  lists_differing_from_full_build: differing,
};
if (args.json) {
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} else {
  const row = (name, m, extra = '') => `| ${name} | ${m.wall_ms} ms | ${m.cpu_ms} ms | ${m.longest_block_ms} ms | ${extra} |`;
  console.log('| Run | Wall | CPU | Longest event-loop block | Detail |');
  console.log('|---|---|---|---|---|');
  console.log(row(`full build, ${size.events} events`, baseFull, `${baseFull.result.items} lists`));
  updates.forEach((u, i) =>
    console.log(
      row(
        `incremental update ${i + 1}, +${size.delta} events`,
        u,
        `${u.result.mode}; ${u.result.touched} items rescored, ${u.result.patched} rows patched, ${u.result.recomputed} rescored short of K; ${u.list_writes - 1} lists written`,
      ),
    ),
  );
  console.log(row(`full build, ${total} events`, full, `${full.result.items} lists`));
  console.log(`\nLists differing between the incremental updates and the full build: ${differing}`);
}
if (differing > 0) process.exitCode = 1;

/**
 * The stores the builder runs on. `show(n)` makes the first n generated events
 * readable; `writes()` counts setNeighbours calls; `lists()` reads every item's list.
 */
async function openStores(columns) {
  const itemIds = Array.from({ length: size.items }, (_, i) => `i${i}`);
  if (size.store === 'memory') {
    const events = new GeneratedEvents(columns);
    const features = new MapFeatureStore();
    return {
      events,
      features,
      show: async (n) => void (events.visible = n),
      writes: () => features.writes,
      lists: async () => new Map(features.lists),
      close: async () => undefined,
    };
  }
  if (size.store !== 'sqlite') throw new Error(`--store must be memory or sqlite, got ${size.store}`);
  const { EmbeddedStorage } = require(path.join(root, 'dist/libs/storage/embedded/src/embedded-storage.js'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lemo-bench-similarity-'));
  const storage = EmbeddedStorage.open({ dataDir, vectorDimension: 8 });
  let writes = 0;
  const setNeighbours = storage.features.setNeighbours.bind(storage.features);
  storage.features.setNeighbours = (...call) => {
    writes++;
    return setNeighbours(...call);
  };
  let appended = 0;
  return {
    events: storage.events,
    features: storage.features,
    show: async (n) => {
      log(`appending events ${appended}..${n} to SQLite`);
      for (; appended < n; ) {
        const batch = [];
        for (const end = Math.min(n, appended + 5000); appended < end; appended++) {
          batch.push({ tenant_id: 'bench', scenario_id: 'home', ...eventAt(columns, appended) });
        }
        await storage.events.append(batch);
      }
    },
    writes: () => writes,
    lists: async () => {
      const lists = new Map();
      for (let start = 0; start < itemIds.length; start += 1000) {
        for (const [id, list] of await storage.features.neighbours('bench', 'home', itemIds.slice(start, start + 1000))) lists.set(id, list);
      }
      return lists;
    },
    close: async () => {
      await storage.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
