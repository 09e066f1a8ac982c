#!/usr/bin/env node
// dev-stack: installs (once, cached) and runs the real backing servers of the cluster profile on
// 127.0.0.1, without Docker. See README.md beside this file.
//
//   node tools/dev-stack/stack.mjs up     [--only redis,kafka,mongodb,milvus,clickhouse,etcd]
//   node tools/dev-stack/stack.mjs down   [--only ...] [--wipe]      (--wipe also deletes data)
//   node tools/dev-stack/stack.mjs status
//   node tools/dev-stack/stack.mjs install [--only ...]              (install/build only)
//   node tools/dev-stack/stack.mjs smoke  [--only ...]               (real client round trips)
//
// State lives in <repo>/.stack/: cache/ (downloads, builds), data/, run/ (pid files), logs/, env.
// No dependencies beyond Node's standard library; installers used: apt-get, mvn, go, python3 -m
// venv + pip, npm.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const STACK = path.resolve(process.env.STACK_DIR || path.join(REPO, '.stack'));
const CACHE = path.resolve(process.env.STACK_CACHE_DIR || path.join(STACK, 'cache'));
const DATA = path.join(STACK, 'data');
const RUN = path.join(STACK, 'run');
const LOGS = path.join(STACK, 'logs');
const ENV_FILE = path.join(STACK, 'env');
const HOST = '127.0.0.1';
const READY_TIMEOUT_S = Number(process.env.STACK_TIMEOUT || 120);
const STOP_TIMEOUT_S = 30;

// Pinned versions (the ones this tool was tested with). Changing one reinstalls that piece.
const V = {
  kafka: '3.9.1',
  milvus: ['milvus-lite==3.2.2', 'pymilvus==3.0.2'],
  chdb: '3.4.0',
  smoke: { mongodb: '6.20.0', kafkajs: '2.2.4', '@clickhouse/client': '1.23.1' },
};
const PORTS = {
  redis: Number(process.env.STACK_REDIS_PORT || 6379),
  kafka: Number(process.env.STACK_KAFKA_PORT || 9092),
  kafkaController: Number(process.env.STACK_KAFKA_CONTROLLER_PORT || 9093),
  mongodb: Number(process.env.STACK_MONGODB_PORT || 27017),
  milvus: Number(process.env.STACK_MILVUS_PORT || 19530),
  clickhouse: Number(process.env.STACK_CLICKHOUSE_PORT || 8123),
  etcd: Number(process.env.STACK_ETCD_PORT || 2379),
  etcdPeer: Number(process.env.STACK_ETCD_PEER_PORT || 2380),
};
const MONGODB_DATABASE = process.env.STACK_MONGODB_DATABASE || 'lemo';
const CLICKHOUSE_DATABASE = process.env.STACK_CLICKHOUSE_DATABASE || 'lemo';

// ---------------------------------------------------------------------------------------------
// small helpers

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (t0) => ((Date.now() - t0) / 1000).toFixed(1);
const log = (msg) => console.log(`[dev-stack] ${msg}`);
const mkdirp = (d) => fs.mkdirSync(d, { recursive: true });
const exists = (p) => fs.existsSync(p);
const readText = (p) => (exists(p) ? fs.readFileSync(p, 'utf8') : '');
const tail = (file, n = 25) =>
  readText(file)
    .trimEnd()
    .split('\n')
    .slice(-n)
    .map((l) => `    | ${l}`)
    .join('\n');
const sha256 = (...parts) => crypto.createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);

function which(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

/** Runs a command to completion; output goes to `logFile`. Rejects with the log's tail on failure. */
function run(cmd, args, { logFile, cwd, env, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const fd = logFile ? fs.openSync(logFile, 'a') : 'ignore';
    if (logFile) fs.writeSync(fd, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', capture ? 'pipe' : fd, fd] });
    let out = '';
    if (capture)
      child.stdout.on('data', (d) => {
        out += d;
      });
    child.on('error', (e) => {
      if (logFile) fs.closeSync(fd);
      reject(new Error(`${cmd}: ${e.message}`));
    });
    child.on('close', (code) => {
      if (logFile) fs.closeSync(fd);
      if (code === 0) resolve(out);
      else reject(new Error(`\`${cmd} ${args.join(' ')}\` exited with ${code}${logFile ? ` (log: ${logFile})\n${tail(logFile)}` : ''}`));
    });
  });
}

/** Marker files: an install step is done when its marker holds the expected key. */
const isDone = (dir, key) => readText(path.join(dir, '.dev-stack-complete')).trim() === key;
const markDone = (dir, key) => fs.writeFileSync(path.join(dir, '.dev-stack-complete'), `${key}\n`);

// apt-get: one call at a time; `apt-get update` at most once per run, and only when needed.
let aptQueue = Promise.resolve();
let aptUpdated = false;
function aptInstall(pkgs, logFile) {
  const job = aptQueue.then(async () => {
    if (process.getuid?.() !== 0) throw new Error(`missing ${pkgs.join(' ')}: run as root, or install them: apt-get install -y ${pkgs.join(' ')}`);
    if (!which('apt-get')) throw new Error(`missing ${pkgs.join(' ')} and no apt-get on this machine`);
    // RUNLEVEL=1 keeps Debian maintainer scripts from starting the packaged service (we run our own).
    const env = { DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
    const install = () => run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { logFile, env });
    const policy = await run('apt-cache', ['policy', ...pkgs], { capture: true }).catch(() => '');
    const known = pkgs.every((p) => new RegExp(`^${p.replace(/[.+]/g, '\\$&')}:\\s*\\n\\s*Installed:.*\\n\\s*Candidate: (?!\\(none\\))`, 'm').test(policy));
    if (!known && !aptUpdated) {
      await run('apt-get', ['update', '-q'], { logFile, env });
      aptUpdated = true;
    }
    try {
      await install();
    } catch (e) {
      if (aptUpdated) throw e;
      await run('apt-get', ['update', '-q'], { logFile, env });
      aptUpdated = true;
      await install();
    }
  });
  aptQueue = job.catch(() => {});
  return job;
}

async function needCommands(map, logFile) {
  const missing = Object.entries(map)
    .filter(([cmd]) => !which(cmd))
    .map(([, pkg]) => pkg);
  if (missing.length) await aptInstall([...new Set(missing)], logFile);
}

// ---------------------------------------------------------------------------------------------
// probes (no client libraries needed)

/** Opens a TCP connection, writes `payload`, resolves with the reply once `done(buffer)` is true. */
function tcpExchange(port, payload, done, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: HOST, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error('timeout'));
    }, timeoutMs);
    const finish = (err, val) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(val);
    };
    sock.on('connect', () => {
      if (payload) sock.write(payload);
      else finish(null, buf);
    });
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (done(buf)) finish(null, buf);
    });
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error('connection closed')));
  });
}
const portOpen = (port) =>
  tcpExchange(port, null, () => true, 1000).then(
    () => true,
    () => false,
  );

function httpGet(port, urlPath, timeoutMs = 3000) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: urlPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function probeRedis(port) {
  const reply = await tcpExchange(port, '*1\r\n$4\r\nPING\r\n', (b) => b.includes('\r\n'));
  if (!reply.toString().startsWith('+PONG')) throw new Error(`PING answered ${JSON.stringify(reply.toString())}`);
  return 'PING -> PONG';
}

// Kafka Metadata request v4 (non-flexible): all topics, no auto-creation. Returns the broker list.
async function probeKafka(port) {
  const clientId = Buffer.from('dev-stack');
  const req = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = req.writeInt32BE(req.length - 4, 0);
  o = req.writeInt16BE(3, o); // api key: Metadata
  o = req.writeInt16BE(4, o); // api version
  o = req.writeInt32BE(7, o); // correlation id
  o = req.writeInt16BE(clientId.length, o);
  o += clientId.copy(req, o);
  o = req.writeInt32BE(-1, o); // topics: null = all
  req.writeInt8(0, o); // allow_auto_topic_creation
  const res = await tcpExchange(port, req, (b) => b.length >= 4 && b.length >= 4 + b.readInt32BE(0));
  if (res.readInt32BE(4) !== 7) throw new Error('bad correlation id');
  let p = 4 + 4 + 4; // size, correlation id, throttle_time_ms
  const count = res.readInt32BE(p);
  p += 4;
  const brokers = [];
  for (let i = 0; i < count; i++) {
    const id = res.readInt32BE(p);
    p += 4;
    const hl = res.readInt16BE(p);
    p += 2;
    const host = res.toString('utf8', p, p + hl);
    p += hl;
    const bport = res.readInt32BE(p);
    p += 4;
    const rl = res.readInt16BE(p);
    p += 2 + Math.max(rl, 0);
    brokers.push(`${id}@${host}:${bport}`);
  }
  if (!brokers.length) throw new Error('metadata lists no broker yet');
  return `metadata: broker ${brokers.join(', ')}`;
}

// MongoDB wire protocol: OP_MSG { ping: 1, $db: "admin" }, expects { ok: 1 }.
function bson(fields) {
  const parts = [];
  for (const [k, v] of Object.entries(fields)) {
    const key = Buffer.from(`${k}\0`);
    if (typeof v === 'number') {
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      parts.push(Buffer.from([0x10]), key, b);
    } else {
      const s = Buffer.from(`${v}\0`);
      const l = Buffer.alloc(4);
      l.writeInt32LE(s.length);
      parts.push(Buffer.from([0x02]), key, l, s);
    }
  }
  const body = Buffer.concat(parts);
  const doc = Buffer.alloc(4 + body.length + 1);
  doc.writeInt32LE(doc.length);
  body.copy(doc, 4);
  return doc;
}
function bsonOk(doc) {
  // value of the top-level "ok" field (double, int32, int64 or bool)
  let p = 4;
  const sizes = { 0x01: 8, 0x08: 1, 0x09: 8, 0x0a: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x07: 12 };
  while (p < doc.length && doc[p] !== 0) {
    const type = doc[p++];
    const end = doc.indexOf(0, p);
    const name = doc.toString('utf8', p, end);
    p = end + 1;
    if (name === 'ok') {
      if (type === 0x01) return doc.readDoubleLE(p);
      if (type === 0x10) return doc.readInt32LE(p);
      if (type === 0x12) return Number(doc.readBigInt64LE(p));
      if (type === 0x08) return doc[p];
    }
    if (type === 0x02) p += 4 + doc.readInt32LE(p);
    else if (type === 0x03 || type === 0x04) p += doc.readInt32LE(p);
    else if (type === 0x05) p += 5 + doc.readInt32LE(p);
    else if (type in sizes) p += sizes[type];
    else return undefined;
  }
  return undefined;
}
async function probeMongo(port) {
  const doc = bson({ ping: 1, $db: 'admin' });
  const msg = Buffer.alloc(16 + 4 + 1 + doc.length);
  msg.writeInt32LE(msg.length, 0);
  msg.writeInt32LE(1, 4); // request id
  msg.writeInt32LE(0, 8);
  msg.writeInt32LE(2013, 12); // OP_MSG
  msg.writeUInt32LE(0, 16); // flags
  msg[20] = 0; // section kind 0: body
  doc.copy(msg, 21);
  const res = await tcpExchange(port, msg, (b) => b.length >= 4 && b.length >= b.readInt32LE(0));
  if (res.readInt32LE(12) !== 2013 || res[20] !== 0) throw new Error('unexpected reply opcode');
  const ok = bsonOk(res.subarray(21));
  if (ok !== 1) throw new Error(`ping answered ok=${ok}`);
  return 'OP_MSG ping -> ok: 1';
}

async function probeClickHouse(port) {
  const ping = await httpGet(port, '/ping');
  if (ping.status !== 200 || !ping.body.startsWith('Ok.')) throw new Error(`/ping -> ${ping.status} ${ping.body}`);
  const one = await httpGet(port, `/?query=${encodeURIComponent('SELECT 1')}`);
  if (one.status !== 200 || one.body.trim() !== '1') throw new Error(`SELECT 1 -> ${one.status} ${one.body}`);
  return '/ping -> Ok., SELECT 1 -> 1';
}

// etcd: GET /health on the client URL answers {"health":"true"} once the member serves requests.
async function probeEtcd(port) {
  const res = await httpGet(port, '/health');
  let health;
  try {
    health = JSON.parse(res.body).health;
  } catch {
    /* not JSON yet */
  }
  if (res.status !== 200 || String(health) !== 'true') throw new Error(`/health -> ${res.status} ${res.body.trim()}`);
  const version = await httpGet(port, '/version');
  return `/health -> true, etcd ${JSON.parse(version.body).etcdserver ?? '?'}`;
}

const milvusPython = () => path.join(CACHE, 'milvus', 'venv', 'bin', 'python');
async function probeMilvus(port) {
  if (!(await portOpen(port))) throw new Error('port not open');
  const code = 'import sys\nfrom pymilvus import MilvusClient\n' + `c = MilvusClient(uri="http://${HOST}:${port}", timeout=5)\nprint(c.list_collections())\n`;
  const out = await run(milvusPython(), ['-c', code], { capture: true });
  return `list_collections -> ${out.trim()}`;
}

// ---------------------------------------------------------------------------------------------
// the servers

const SERVERS = {
  redis: {
    port: () => PORTS.redis,
    async install(logFile) {
      await needCommands({ 'redis-server': 'redis-server', 'redis-cli': 'redis-tools' }, logFile);
    },
    command() {
      const dir = path.join(DATA, 'redis');
      mkdirp(dir);
      return {
        cmd: which('redis-server'),
        args: [
          '--bind',
          HOST,
          '--port',
          String(PORTS.redis),
          '--protected-mode',
          'yes',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--daemonize',
          'no',
          '--logfile',
          '',
        ],
      };
    },
    probe: probeRedis,
    env: (port) => ({ REDIS_URL: `redis://${HOST}:${port}` }),
  },

  kafka: {
    port: () => PORTS.kafka,
    extraPorts: () => [PORTS.kafkaController],
    libDir: () => path.join(CACHE, `kafka-${V.kafka}`),
    async install(logFile) {
      await needCommands({ java: 'default-jre-headless', mvn: 'maven' }, logFile);
      const dir = this.libDir();
      const key = sha256(V.kafka, readText(path.join(HERE, 'kafka', 'pom.xml')));
      if (isDone(dir, key)) return 'cached';
      fs.rmSync(dir, { recursive: true, force: true });
      mkdirp(dir);
      await run(
        'mvn',
        [
          '-B',
          '-q',
          '-f',
          path.join(HERE, 'kafka', 'pom.xml'),
          `-Dkafka.version=${V.kafka}`,
          `-Dmaven.repo.local=${path.join(CACHE, 'm2')}`,
          'dependency:copy-dependencies',
          '-DincludeScope=runtime',
          `-DoutputDirectory=${path.join(dir, 'lib')}`,
        ],
        { logFile, cwd: dir },
      );
      markDone(dir, key);
      return 'downloaded';
    },
    // C1-only JIT (TieredStopAtLevel=1) starts the broker ~2 s faster on 2 cores; fine for dev and
    // tests. STACK_KAFKA_JAVA_OPTS is appended, so it can override any of these.
    javaArgs: () => [
      '-Xms256m',
      '-Xmx512m',
      '-XX:+UseSerialGC',
      '-XX:TieredStopAtLevel=1',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${path.join(HERE, 'kafka', 'log4j.properties')}`,
      `-Dkafka.logs.dir=${LOGS}`,
      ...(process.env.STACK_KAFKA_JAVA_OPTS || '').split(/\s+/).filter(Boolean),
    ],
    async prepare(logFile) {
      const dataDir = path.join(DATA, 'kafka');
      mkdirp(dataDir);
      const props = path.join(STACK, 'kafka', 'server.properties');
      mkdirp(path.dirname(props));
      fs.writeFileSync(
        props,
        readText(path.join(HERE, 'kafka', 'server.properties.template'))
          .replaceAll('@@PORT@@', String(PORTS.kafka))
          .replaceAll('@@CONTROLLER_PORT@@', String(PORTS.kafkaController))
          .replaceAll('@@DATA_DIR@@', dataDir),
      );
      if (!exists(path.join(dataDir, 'meta.properties'))) {
        const cp = path.join(this.libDir(), 'lib', '*');
        const out = await run('java', [...this.javaArgs(), '-cp', cp, 'kafka.tools.StorageTool', 'random-uuid'], { capture: true, logFile });
        const clusterId = out.trim().split('\n').pop().trim();
        await run('java', [...this.javaArgs(), '-cp', cp, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', props], { logFile });
      }
      return props;
    },
    async command(logFile) {
      const props = await this.prepare(logFile);
      return { cmd: which('java'), args: [...this.javaArgs(), '-cp', path.join(this.libDir(), 'lib', '*'), 'kafka.Kafka', props] };
    },
    async probe(port, logFile) {
      const res = await probeKafka(port);
      if (!/Kafka Server started/.test(readText(logFile))) throw new Error('log does not say "Kafka Server started" yet');
      return res;
    },
    env: (port) => ({ KAFKA_BOOTSTRAP_SERVERS: `${HOST}:${port}` }),
  },

  mongodb: {
    port: () => PORTS.mongodb,
    binary: () => path.join(CACHE, 'ferretdb', 'ferretdb-dev'),
    async install(logFile) {
      const src = path.join(HERE, 'ferretdb');
      if (!which('go')) throw new Error("Go >= 1.24 is needed to build FerretDB (https://go.dev/dl; Debian's golang is too old)");
      const goVersion = (await run('go', ['env', 'GOVERSION'], { capture: true })).trim();
      const dir = path.dirname(this.binary());
      const key = sha256(goVersion, ...['go.mod', 'go.sum', 'main.go'].map((f) => readText(path.join(src, f))));
      if (isDone(dir, key) && exists(this.binary())) return 'cached';
      mkdirp(dir);
      const env = {
        CGO_ENABLED: '0',
        GOFLAGS: '-modcacherw -buildvcs=false',
        GOTOOLCHAIN: 'local',
        GOMODCACHE: path.join(CACHE, 'go', 'mod'),
        GOCACHE: path.join(CACHE, 'go', 'build'),
      };
      await run('go', ['build', '-trimpath', '-o', `${this.binary()}.tmp`, '.'], { logFile, cwd: src, env });
      fs.renameSync(`${this.binary()}.tmp`, this.binary());
      markDone(dir, key);
      return 'built';
    },
    command() {
      return { cmd: this.binary(), args: ['-listen-addr', `${HOST}:${PORTS.mongodb}`, '-dir', path.join(DATA, 'ferretdb')] };
    },
    probe: probeMongo,
    env: (port) => ({ MONGODB_URL: `mongodb://${HOST}:${port}`, MONGODB_DATABASE }),
  },

  milvus: {
    port: () => PORTS.milvus,
    async install(logFile) {
      const dir = path.join(CACHE, 'milvus');
      const venv = path.join(dir, 'venv');
      const key = sha256(...V.milvus);
      if (isDone(dir, key) && exists(milvusPython())) return 'cached';
      const python = which('python3');
      if (!python) await aptInstall(['python3', 'python3-venv'], logFile);
      fs.rmSync(venv, { recursive: true, force: true });
      mkdirp(dir);
      try {
        await run('python3', ['-m', 'venv', venv], { logFile });
      } catch {
        await aptInstall(['python3-venv'], logFile); // Debian's python3 ships venv separately
        fs.rmSync(venv, { recursive: true, force: true });
        await run('python3', ['-m', 'venv', venv], { logFile });
      }
      await run(path.join(venv, 'bin', 'pip'), ['install', '-q', '--disable-pip-version-check', ...V.milvus], {
        logFile,
        env: { PIP_CACHE_DIR: path.join(CACHE, 'pip') },
      });
      markDone(dir, key);
      return 'installed';
    },
    command() {
      return {
        cmd: path.join(CACHE, 'milvus', 'venv', 'bin', 'milvus-lite'),
        args: ['server', '--data-dir', path.join(DATA, 'milvus'), '--host', HOST, '--port', String(PORTS.milvus)],
      };
    },
    probe: probeMilvus,
    env: (port) => ({ MILVUS_HOST: HOST, MILVUS_PORT: String(port) }),
  },

  clickhouse: {
    port: () => PORTS.clickhouse,
    moduleDir: () => path.join(CACHE, 'chdb'),
    async install(logFile) {
      const dir = this.moduleDir();
      const key = sha256(V.chdb, process.version.split('.')[0]);
      if (isDone(dir, key)) return 'cached';
      mkdirp(dir);
      fs.writeFileSync(
        path.join(dir, 'package.json'),
        `${JSON.stringify(
          {
            name: 'dev-stack-chdb',
            private: true,
            description: 'generated by tools/dev-stack/stack.mjs',
            dependencies: { chdb: V.chdb },
          },
          null,
          2,
        )}\n`,
      );
      await npmInstall(dir, logFile);
      markDone(dir, key);
      return 'installed';
    },
    command() {
      return { cmd: process.execPath, args: [path.join(HERE, 'clickhouse', 'chdb-http.mjs')] };
    },
    spawnEnv() {
      mkdirp(path.join(DATA, 'clickhouse'));
      return {
        CHDB_MODULE_DIR: this.moduleDir(),
        CHDB_PATH: path.join(DATA, 'clickhouse'),
        HOST,
        PORT: String(PORTS.clickhouse),
        CHDB_HTTP_DATABASES: CLICKHOUSE_DATABASE,
      };
    },
    probe: probeClickHouse,
    env: (port) => ({ CLICKHOUSE_HOST: HOST, CLICKHOUSE_PORT: String(port), CLICKHOUSE_DATABASE }),
  },

  etcd: {
    port: () => PORTS.etcd,
    extraPorts: () => [PORTS.etcdPeer],
    async install(logFile) {
      // Debian's etcd-server (3.4.x) puts the server at /usr/bin/etcd.
      await needCommands({ etcd: 'etcd-server' }, logFile);
    },
    command() {
      const client = `http://${HOST}:${PORTS.etcd}`;
      const peer = `http://${HOST}:${PORTS.etcdPeer}`;
      return {
        cmd: which('etcd'),
        args: [
          '--name',
          'dev-stack',
          '--data-dir',
          path.join(DATA, 'etcd'),
          '--listen-client-urls',
          client,
          '--advertise-client-urls',
          client,
          '--listen-peer-urls',
          peer,
          '--initial-advertise-peer-urls',
          peer,
          '--initial-cluster',
          `dev-stack=${peer}`,
          '--initial-cluster-state',
          'new',
          '--log-level',
          'warn',
        ],
      };
    },
    probe: probeEtcd,
    env: (port) => ({ ETCD_ENDPOINTS: `http://${HOST}:${port}` }),
  },
};
const NAMES = Object.keys(SERVERS);

function npmInstall(dir, logFile) {
  return run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-package-lock', '--cache', path.join(CACHE, 'npm')], { logFile, cwd: dir });
}

// ---------------------------------------------------------------------------------------------
// process bookkeeping: .stack/run/<name>.json = { pid, starttime, port, ... }

const pidFile = (name) => path.join(RUN, `${name}.json`);
const logFileOf = (name) => path.join(LOGS, `${name}.log`);

function procStat(pid) {
  // [state, pgrp, starttime] from /proc, or null when gone
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: f[0], pgrp: Number(f[2]), starttime: f[19] };
}
function readRecord(name) {
  try {
    return JSON.parse(fs.readFileSync(pidFile(name), 'utf8'));
  } catch {
    return null;
  }
}
/** Our process is alive: same pid and same start time as recorded (guards against pid reuse). */
function alive(rec) {
  if (!rec) return false;
  const st = procStat(rec.pid);
  return !!st && st.state !== 'Z' && st.starttime === rec.starttime;
}

async function startServer(name) {
  const srv = SERVERS[name];
  const logFile = logFileOf(name);
  const rec = readRecord(name);
  if (alive(rec)) return { name, pid: rec.pid, port: rec.port, already: true };
  if (rec) fs.rmSync(pidFile(name), { force: true });
  for (const port of [srv.port(), ...(srv.extraPorts?.() ?? [])]) {
    if (await portOpen(port)) {
      throw new Error(
        `port ${HOST}:${port} is already in use by a process dev-stack did not start ` +
          `(stop it, or pick another port with STACK_${name.toUpperCase()}_PORT)`,
      );
    }
  }
  fs.writeFileSync(logFile, `--- dev-stack: starting ${name} at ${new Date().toISOString()}\n`);
  const { cmd, args } = await srv.command(logFile);
  if (!cmd) throw new Error(`${name}: executable not found`);
  const fd = fs.openSync(logFile, 'a');
  // detached: own process group, survives this script; stopped by `down` through its pid.
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', fd, fd], cwd: STACK, env: { ...process.env, ...srv.spawnEnv?.() } });
  fs.closeSync(fd);
  const spawnError = await new Promise((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(null));
  });
  if (spawnError) throw new Error(`${name}: cannot start ${cmd}: ${spawnError.message}`);
  child.unref();
  const st = procStat(child.pid);
  const record = { name, pid: child.pid, starttime: st?.starttime, port: srv.port(), cmd: [cmd, ...args].join(' '), startedAt: new Date().toISOString() };
  fs.writeFileSync(pidFile(name), `${JSON.stringify(record, null, 2)}\n`);
  return { name, pid: child.pid, port: srv.port(), already: false };
}

async function waitReady(name, port, timeoutS = READY_TIMEOUT_S) {
  const t0 = Date.now();
  let last = 'no answer yet';
  while (Date.now() - t0 < timeoutS * 1000) {
    if (!alive(readRecord(name))) throw new Error(`${name} exited during start-up (log: ${logFileOf(name)})\n${tail(logFileOf(name))}`);
    try {
      return await SERVERS[name].probe(port, logFileOf(name));
    } catch (e) {
      last = e.message.split('\n')[0];
    }
    await sleep(300);
  }
  throw new Error(
    `${name} did not become ready on ${HOST}:${port} within ${timeoutS}s (last probe: ${last}; log: ${logFileOf(name)})\n${tail(logFileOf(name))}`,
  );
}

async function stopServer(name) {
  const rec = readRecord(name);
  if (!rec) return 'not running';
  if (!alive(rec)) {
    fs.rmSync(pidFile(name), { force: true });
    return `stale pid file removed (pid ${rec.pid} was gone)`;
  }
  // The server runs in its own process group (we spawned it detached): signal exactly that group.
  const target = procStat(rec.pid)?.pgrp === rec.pid ? -rec.pid : rec.pid;
  process.kill(target, 'SIGTERM');
  const t0 = Date.now();
  while (alive(rec) && Date.now() - t0 < STOP_TIMEOUT_S * 1000) await sleep(200);
  let how = `stopped pid ${rec.pid} (SIGTERM, ${secs(t0)}s)`;
  if (alive(rec)) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* gone */
    }
    how = `killed pid ${rec.pid} (no exit ${STOP_TIMEOUT_S}s after SIGTERM)`;
    await sleep(300);
  }
  fs.rmSync(pidFile(name), { force: true });
  return how;
}

/** .stack/env: KEY=value lines for every server that is running now. */
function writeEnvFile() {
  const lines = ['# written by tools/dev-stack/stack.mjs; servers running now: '];
  const up = [];
  for (const name of NAMES) {
    const rec = readRecord(name);
    if (!alive(rec)) continue;
    up.push(name);
    for (const [k, v] of Object.entries(SERVERS[name].env(rec.port))) lines.push(`${k}=${v}`);
  }
  lines[0] += up.join(' ') || '(none)';
  fs.writeFileSync(ENV_FILE, `${lines.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------
// commands

function parseArgs(argv) {
  const opts = { cmd: argv[0], only: NAMES, wipe: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--only' || a.startsWith('--only=')) {
      const list = a.includes('=') ? a.split('=')[1] : argv[++i];
      opts.only = (list || '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((s) => (s === 'mongo' || s === 'ferretdb' ? 'mongodb' : s));
      const bad = opts.only.filter((n) => !NAMES.includes(n));
      if (bad.length || !opts.only.length) throw new Error(`--only takes a comma list of: ${NAMES.join(', ')}`);
    } else if (a === '--wipe') opts.wipe = true;
    else throw new Error(`unknown argument: ${a}`);
  }
  return opts;
}

/** Installs one server's software (no-op when cached). Returns false, after saying why, on failure. */
async function installOne(name) {
  const t0 = Date.now();
  try {
    const what = await SERVERS[name].install(path.join(LOGS, `install-${name}.log`));
    log(`${name}: install ${what || 'ok'} (${secs(t0)}s)`);
    return true;
  } catch (e) {
    console.error(`[dev-stack] ${name}: INSTALL FAILED: ${e.message}`);
    return false;
  }
}

async function install(names) {
  const ok = await Promise.all(names.map(installOne));
  return names.filter((_, i) => !ok[i]);
}

// Each server goes install -> start -> ready on its own, all servers at once.
async function up(names) {
  const t0 = Date.now();
  const failed = [];
  const ready = [];
  await Promise.all(
    names.map(async (name) => {
      if (!(await installOne(name))) {
        failed.push(name);
        return;
      }
      try {
        const s = await startServer(name);
        const t1 = Date.now();
        const how = await waitReady(name, s.port);
        log(`${name}: ${s.already ? 'already running' : 'started'}, pid ${s.pid}, ${HOST}:${s.port} ready (${how}${s.already ? '' : `; ${secs(t1)}s`})`);
        ready.push(name);
      } catch (e) {
        failed.push(name);
        console.error(`[dev-stack] ${name}: FAILED TO START: ${e.message}`);
        if (alive(readRecord(name))) console.error(`[dev-stack] ${name}: ${await stopServer(name)}`);
      }
    }),
  );
  writeEnvFile();
  if (failed.length) {
    console.error(`[dev-stack] up FAILED for: ${failed.join(', ')} (ready: ${ready.join(', ') || 'none'}; ${secs(t0)}s)`);
    return 1;
  }
  log(`up: ${names.join(', ')} ready in ${secs(t0)}s; endpoints in ${path.relative(process.cwd(), ENV_FILE) || ENV_FILE}`);
  return 0;
}

async function down(names, wipe) {
  await Promise.all(
    names.map(async (name) => {
      log(`${name}: ${await stopServer(name)}`);
      if (wipe) {
        fs.rmSync(path.join(DATA, name === 'mongodb' ? 'ferretdb' : name), { recursive: true, force: true });
        log(`${name}: data wiped`);
      }
    }),
  );
  writeEnvFile();
  return 0;
}

async function status() {
  const rows = await Promise.all(
    NAMES.map(async (name) => {
      const rec = readRecord(name);
      const port = rec?.port ?? SERVERS[name].port();
      if (!alive(rec)) {
        const busy = await portOpen(port);
        return [name, rec ? 'stopped (stale pid file)' : 'stopped', '-', `${HOST}:${port}`, busy ? 'port busy: another process listens there' : ''];
      }
      try {
        const how = await SERVERS[name].probe(port, logFileOf(name));
        return [name, 'running, ready', String(rec.pid), `${HOST}:${port}`, how];
      } catch (e) {
        return [name, 'running, NOT ready', String(rec.pid), `${HOST}:${port}`, e.message.split('\n')[0]];
      }
    }),
  );
  const head = ['SERVER', 'STATE', 'PID', 'ADDRESS', 'PROBE'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]))).join('  '));
  if (exists(ENV_FILE)) console.log(`\n${path.relative(process.cwd(), ENV_FILE) || ENV_FILE}:\n${readText(ENV_FILE).trimEnd()}`);
  return rows.every((r) => r[1] === 'running, ready') ? 0 : 3;
}

async function smoke(names) {
  const dir = path.join(CACHE, 'smoke');
  const key = sha256(JSON.stringify(V.smoke));
  if (!isDone(dir, key)) {
    mkdirp(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: 'dev-stack-smoke', private: true, dependencies: V.smoke }, null, 2)}\n`);
    log('smoke: installing client libraries into the cache');
    await npmInstall(dir, path.join(LOGS, 'install-smoke.log'));
    markDone(dir, key);
  }
  const env = { SMOKE_MODULE_DIR: dir, SMOKE_ONLY: names.join(','), MILVUS_PYTHON: milvusPython() };
  for (const line of readText(ENV_FILE).split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(HERE, 'smoke', 'smoke.mjs')], { stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`[dev-stack] ${e.message}`);
    return 2;
  }
  for (const d of [CACHE, DATA, RUN, LOGS]) mkdirp(d);
  switch (opts.cmd) {
    case 'up':
      return up(opts.only);
    case 'down':
      return down(opts.only, opts.wipe);
    case 'status':
      return status();
    case 'install':
      return (await install(opts.only)).length ? 1 : 0;
    case 'smoke':
      return smoke(opts.only);
    default:
      console.error('usage: stack.mjs up|down|status|install|smoke [--only redis,kafka,mongodb,milvus,clickhouse,etcd] [--wipe]');
      return 2;
  }
}

process.exitCode = await main();
