import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { createClient as createClickHouseClient } from '@clickhouse/client';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { Redis } from 'ioredis';
import { createConnection } from 'mongoose';
import { loadConfig, processEnvironment } from '@lemo/platform-config';
import { uniqueName } from '@lemo/platform-testing';

/** The deployables, each started from `dist/apps/<app>/src/main.js` as production runs them. */
export type AppName = 'api' | 'grpc' | 'worker' | 'beat' | 'consumer' | 'streams' | 'model-server' | 'all-in-one';

/** How an app says it is ready: HTTP `GET /health` → 200 on its HTTP port (api, all-in-one) or HEALTH_PORT (background apps), or the gRPC health check. */
type Readiness = 'http' | 'health-port' | 'grpc';
const READINESS: Record<AppName, Readiness> = {
  api: 'http',
  'all-in-one': 'http',
  grpc: 'grpc',
  worker: 'health-port',
  beat: 'health-port',
  consumer: 'health-port',
  streams: 'health-port',
  'model-server': 'health-port',
};

const WORKSPACE = resolve(__dirname, '../../..');
const HEALTH_PROTO = join(WORKSPACE, 'proto/grpc/health/v1/health.proto');
/** Preloaded into every app process: it dies with the test runner, however the runner ends. */
const EXIT_WITH_PARENT = join(WORKSPACE, 'tools/dev-stack/jest/exit-with-parent.js');
const DEFAULT_READY_MS = 180_000;
const DEFAULT_STOP_MS = 20_000;

/** The build an app runs from; `npm run build` (or the cluster suites' global setup) writes it. */
export const distMain = (app: AppName): string => join(WORKSPACE, 'dist/apps', app, 'src/main.js');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcess {
  readonly app: AppName;
  /** Unique within its cluster: `worker`, `worker-2`, … (also the log file's name). */
  readonly label: string;
  readonly pid: number;
  readonly ports: Readonly<{ http: number; grpc: number; health: number }>;
  /** Base URL of the process's HTTP server: the REST API (api, all-in-one) or health and metrics (background apps). */
  readonly url: string;
  /** stdout and stderr of the process, kept after it exits. */
  readonly logFile: string;
  /** Resolves once the process has exited, however. */
  readonly exited: Promise<ProcessExit>;
  readonly running: boolean;
  /** The last lines of its log, for failure messages. */
  logTail(lines?: number): string;
  /** Resolves once the app answers its health check; fails early, with its log, if it exits first. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** SIGTERM (graceful shutdown), then SIGKILL if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<ProcessExit>;
  /** SIGKILL: the process dies at once, as on an OOM kill or a lost node. */
  kill(): Promise<ProcessExit>;
}

export interface AppClusterOptions {
  /** Names the run (databases, namespace, log folder). */
  name: string;
  /** Variables over the cluster defaults for every process of the run. */
  env?: Record<string, string>;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; free when returned). */
export const freePort = (): Promise<number> =>
  new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * The apps of one test run as separate OS processes, started from the dist
 * build on the cluster profile: the dev stack's servers (the endpoints jest's
 * setup loaded from .stack/env, read through the config lib), and a MongoDB
 * database, ClickHouse database and storage namespace (Redis keys, Bull
 * queues, Kafka topics, Milvus collection) of the run's own, shared by its
 * processes and by no other run. Ports are picked free per process. Every
 * process's output goes to a log file under tmp/app-logs/<run>/.
 *
 * Call `stopAll()` in afterAll: it SIGTERMs whatever still runs and SIGKILLs
 * what does not exit in time. A process never outlives the test runner: it
 * is killed when the runner exits, and dies by itself when the runner is
 * killed (its IPC channel closes; tools/dev-stack/jest/exit-with-parent.js).
 */
export class AppCluster {
  readonly runId: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logDir: string;
  private readonly processes: AppProcess[] = [];
  private readonly labels = new Map<AppName, number>();

  constructor(options: AppClusterOptions) {
    this.runId = uniqueName(options.name.replace(/[^a-z0-9_]/g, '_'));
    const inherited = Object.fromEntries(Object.entries(processEnvironment()).filter((entry): entry is [string, string] => entry[1] !== undefined));
    this.env = {
      ...inherited,
      PROFILE: 'cluster',
      NODE_ENV: 'test',
      ADMIN_API_KEY: CLUSTER_ADMIN_KEY,
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'info',
      MONGODB_DATABASE: `lemo_${this.runId}`,
      CLICKHOUSE_DATABASE: `lemo_${this.runId}`,
      STORAGE_NAMESPACE: this.runId.slice(0, 40),
      // Apps starting at once on a loaded machine can block their event loop past the 5 s default while connecting.
      MONGODB_SERVER_SELECTION_TIMEOUT_MS: '30000',
      ...options.env,
    };
    // Every process reads the same variables: a problem (a server the stack does not run) fails here, named, not in N logs.
    loadConfig(this.env);
    this.logDir = join(WORKSPACE, 'tmp/app-logs', this.runId);
    mkdirSync(this.logDir, { recursive: true });
    clusters.add(this);
  }

  /** Starts an app and waits until it is ready. */
  async start(app: AppName, options: { env?: Record<string, string>; readyTimeoutMs?: number } = {}): Promise<AppProcess> {
    const started = await this.spawn(app, options.env);
    await started.waitReady(options.readyTimeoutMs);
    return started;
  }

  /** Starts an app without waiting for it (waitReady when needed). */
  async spawn(app: AppName, env: Record<string, string> = {}): Promise<AppProcess> {
    const main = distMain(app);
    if (!existsSync(main)) throw new Error(`${main} does not exist: build first (npm run build)`);
    const count = (this.labels.get(app) ?? 0) + 1;
    this.labels.set(app, count);
    const label = count === 1 ? app : `${app}-${count}`;
    const ports = { http: await freePort(), grpc: await freePort(), health: await freePort() };
    const logFile = join(this.logDir, `${label}.log`);
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-r', EXIT_WITH_PARENT, main], {
        cwd: WORKSPACE,
        env: { ...this.env, HTTP_PORT: String(ports.http), GRPC_PORT: String(ports.grpc), HEALTH_PORT: String(ports.health), SERVICE_NAME: label, ...env },
        stdio: ['ignore', fd, fd, 'ipc'],
      });
    } finally {
      closeSync(fd);
    }
    const started = appProcess(app, label, child, ports, logFile);
    this.processes.push(started);
    return started;
  }

  /** Processes started so far, running or not. */
  get started(): readonly AppProcess[] {
    return this.processes;
  }

  /** Stops every process still running (SIGTERM, SIGKILL after `timeoutMs`). Never throws: it is cleanup. */
  async stopAll(timeoutMs = DEFAULT_STOP_MS): Promise<void> {
    await Promise.all(this.processes.filter((p) => p.running).map((p) => p.stop(timeoutMs).catch(() => p.kill())));
    clusters.delete(this);
  }

  /**
   * Deletes what the run wrote to the shared servers: its MongoDB database, its Redis keys (cache, features,
   * Bull queues) and its ClickHouse database. Kafka topics and the Milvus collection of the namespace stay.
   * Call it after stopAll. Never throws: it is cleanup; what failed is returned.
   */
  async wipeData(): Promise<string[]> {
    const config = loadConfig(this.env);
    const namespace = this.env['STORAGE_NAMESPACE'];
    const problems: string[] = [];
    const attempt = async (what: string, work: () => Promise<void>) => work().catch((error: unknown) => void problems.push(`${what}: ${String(error)}`));
    const { mongodb, redis, clickhouse } = config.backends;
    if (mongodb) {
      await attempt('mongodb', async () => {
        const connection = await createConnection(mongodb.url, { dbName: mongodb.database, serverSelectionTimeoutMS: 5000 }).asPromise();
        try {
          await connection.dropDatabase();
        } finally {
          await connection.close();
        }
      });
    }
    if (redis && namespace) {
      await attempt('redis', async () => {
        const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
        try {
          for await (const keys of client.scanStream({ match: `${namespace}*`, count: 1000 })) if ((keys as string[]).length > 0) await client.unlink(...(keys as string[]));
        } finally {
          client.disconnect();
        }
      });
    }
    if (clickhouse) {
      await attempt('clickhouse', async () => {
        const client = createClickHouseClient({ url: clickhouse.url, username: clickhouse.username, password: clickhouse.password });
        try {
          await client.command({ query: `DROP DATABASE IF EXISTS \`${clickhouse.database}\`` });
        } finally {
          await client.close();
        }
      });
    }
    return problems;
  }

  /** The log tails of every process, for a failing test's message. */
  logTails(lines = 30): string {
    return this.processes.map((p) => `--- ${p.label} (${p.logFile})\n${p.logTail(lines)}`).join('\n');
  }

  /** SIGKILLs every process at once, synchronously (the test runner is exiting). */
  killAllNow(): void {
    for (const p of this.processes) if (p.running) process.kill(p.pid, 'SIGKILL');
  }
}

/** The platform admin key every process of a cluster run accepts. */
export const CLUSTER_ADMIN_KEY = 'cluster-run-admin-key-0123456789';

/** Runs whose processes a dying test runner must not leave behind. */
const clusters = new Set<AppCluster>();
process.once('exit', () => {
  for (const cluster of clusters) cluster.killAllNow();
});

function appProcess(app: AppName, label: string, child: ChildProcess, ports: AppProcess['ports'], logFile: string): AppProcess {
  let exit: ProcessExit | null = null;
  const exited = new Promise<ProcessExit>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolveExit(exit);
    });
  });
  const readiness = READINESS[app];
  const url = `http://127.0.0.1:${readiness === 'health-port' ? ports.health : ports.http}`;
  const logTail = (lines = 40) => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '');
  const signal = async (name: NodeJS.Signals): Promise<ProcessExit> => {
    if (exit) return exit;
    child.kill(name);
    return exited;
  };
  if (child.pid === undefined) throw new Error(`${label} did not start (no pid)`);
  const pid = child.pid;
  /** What the last health probe saw, for the message of a process that never gets ready. */
  let lastProbe = 'not probed yet';
  const isReady = async (): Promise<boolean> => {
    const probe = readiness === 'grpc' ? await grpcServing(ports.grpc) : await httpHealthy(`${url}/health`);
    lastProbe = probe.seen;
    return probe.ready;
  };

  return {
    app,
    label,
    pid,
    ports,
    url,
    logFile,
    exited,
    get running() {
      return exit === null;
    },
    logTail,
    async waitReady(timeoutMs = DEFAULT_READY_MS) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (exit) throw new Error(`${label} exited before it was ready (${JSON.stringify(exit)}); its log (${logFile}):\n${logTail()}`);
        if (await isReady()) return;
        await sleep(100);
      }
      throw new Error(`${label} was not ready within ${timeoutMs} ms (last health probe: ${lastProbe}); its log (${logFile}):\n${logTail()}`);
    },
    async stop(timeoutMs = DEFAULT_STOP_MS) {
      if (exit) return exit;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
    kill: () => signal('SIGKILL'),
  };
}

interface Probe {
  ready: boolean;
  /** What the probe saw, for failure messages. */
  seen: string;
}

async function httpHealthy(url: string): Promise<Probe> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const body = await response.text();
    return { ready: response.status === 200, seen: `${response.status} ${body.slice(0, 500)}` };
  } catch (error) {
    return { ready: false, seen: String((error as { cause?: unknown }).cause ?? error) };
  }
}

interface HealthClient extends grpc.Client {
  Check(request: { service: string }, options: grpc.CallOptions, callback: (error: grpc.ServiceError | null, response: { status: string }) => void): void;
}
let healthClientType: (new (address: string, credentials: grpc.ChannelCredentials) => HealthClient) | undefined;

/** The standard grpc.health.v1 check answers SERVING. */
async function grpcServing(port: number): Promise<Probe> {
  healthClientType ??= (
    grpc.loadPackageDefinition(protoLoader.loadSync(HEALTH_PROTO, { keepCase: true, enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, credentials: grpc.ChannelCredentials) => HealthClient } } };
    }
  ).grpc.health.v1.Health;
  const client = new healthClientType(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const response = await new Promise<{ status: string }>((done, fail) =>
      client.Check({ service: '' }, { deadline: Date.now() + 2000 }, (error, reply) => (error ? fail(error) : done(reply))),
    );
    return { ready: response.status === 'SERVING', seen: response.status };
  } catch (error) {
    return { ready: false, seen: String(error) };
  } finally {
    client.close();
  }
}
