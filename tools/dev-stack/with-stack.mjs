#!/usr/bin/env node
// Runs a command with the dev stack up, and leaves the stack as it found it:
// servers that were already running stay up, servers this run started are
// stopped afterwards (by the PIDs the stack recorded). Used by `npm test`.
//   node tools/dev-stack/with-stack.mjs -- <command> [args...]
import { spawnSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const stack = path.join(here, 'stack.mjs');
const separator = process.argv.indexOf('--');
const command = separator >= 0 ? process.argv.slice(separator + 1) : [];
if (command.length === 0) {
  console.error('usage: with-stack.mjs -- <command> [args...]');
  process.exit(2);
}

const runStack = (...args) => spawnSync(process.execPath, [stack, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

const status = runStack('status');
const alreadyRunning = new Set(
  status.stdout
    .split('\n')
    .filter((line) => / running, ready /.test(line))
    .map((line) => line.split(/\s+/)[0]),
);
const all = ['redis', 'kafka', 'mongodb', 'milvus', 'clickhouse', 'etcd'];
const toStart = all.filter((name) => !alreadyRunning.has(name));

if (toStart.length > 0) {
  console.error(`[with-stack] starting ${toStart.join(', ')} (already running: ${[...alreadyRunning].join(', ') || 'none'})`);
  const up = spawnSync(process.execPath, [stack, 'up', '--only', toStart.join(',')], { stdio: 'inherit' });
  if (up.status !== 0) {
    console.error('[with-stack] the dev stack did not come up: suites that need it would fail, so stopping here');
    stopStarted();
    process.exit(up.status ?? 1);
  }
}

function stopStarted() {
  if (toStart.length > 0) spawnSync(process.execPath, [stack, 'down', '--only', toStart.join(',')], { stdio: 'inherit' });
}

const child = spawn(command[0], command.slice(1), { stdio: 'inherit', shell: false });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('close', (code, signal) => {
  stopStarted();
  process.exit(code ?? (signal ? 1 : 0));
});
