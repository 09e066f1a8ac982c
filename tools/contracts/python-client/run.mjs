#!/usr/bin/env node
/**
 * The contract through a second toolchain: generates Python stubs with grpcio-tools from proto/,
 * starts the built all-in-one app (embedded, in memory) on spare ports, makes a tenant and key
 * through the REST admin API, and runs walkthrough.py against the gRPC port.
 *
 *   PYTHON=.tools/grpc-python/bin/python node tools/contracts/python-client/run.mjs
 *
 * Needs `npm run build` first. Without PYTHON, makes (once) a venv under .tools/ with grpcio-tools
 * from PyPI, so a fresh machine needs only python3 with its venv module.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const python = process.env.PYTHON ?? bootstrapVenv(join(root, '.tools/grpc-python'));
const httpPort = Number(process.env.HTTP_PORT ?? 10981);
const grpcPort = Number(process.env.GRPC_PORT ?? 10982);
const adminKey = 'python-client-admin-key-0123456789';

const stubs = mkdtempSync(join(tmpdir(), 'lemo-python-stubs-'));
const protos = ['recommender/v1', 'recommender_common/v1'].flatMap((dir) => readdirSync(join(root, 'proto', dir)).map((file) => `${dir}/${file}`));
execFileSync(python, ['-m', 'grpc_tools.protoc', '-I', join(root, 'proto'), `--python_out=${stubs}`, `--grpc_python_out=${stubs}`, ...protos], { stdio: 'inherit' });

const server = spawn(process.execPath, [join(root, 'dist/apps/all-in-one/src/main.js')], {
  env: { ...process.env, DATA_DIR: ':memory:', HTTP_PORT: String(httpPort), GRPC_PORT: String(grpcPort), ADMIN_API_KEY: adminKey, DEMO_SEED: 'false', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'inherit', 'inherit'],
});

try {
  const apiKey = await tenantKey();
  execFileSync(python, [join(here, 'walkthrough.py'), stubs, `127.0.0.1:${grpcPort}`, apiKey], { stdio: 'inherit' });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  server.kill('SIGTERM');
  rmSync(stubs, { recursive: true, force: true });
}

/** Waits for the REST API, then creates a tenant and an admin-scoped key for the walkthrough. */
async function tenantKey() {
  const base = `http://127.0.0.1:${httpPort}/api/v1`;
  const admin = { 'X-Api-Key': adminKey, 'Content-Type': 'application/json' };
  for (let attempt = 0; ; attempt += 1) {
    try {
      const health = await fetch(`http://127.0.0.1:${httpPort}/health`);
      if (health.ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 120) throw new Error('the app did not start within 60 s');
    await new Promise((done) => setTimeout(done, 500));
  }
  const tenant = await fetch(`${base}/tenants`, { method: 'POST', headers: admin, body: JSON.stringify({ tenant_id: 'python-client', name: 'Python client' }) });
  if (!tenant.ok) throw new Error(`creating the tenant failed: ${tenant.status} ${await tenant.text()}`);
  const key = await fetch(`${base}/tenants/python-client/api-keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'walkthrough', scopes: ['admin'] }) });
  if (!key.ok) throw new Error(`creating the key failed: ${key.status} ${await key.text()}`);
  return (await key.json()).api_key;
}

/** The venv's python, creating the venv and installing grpcio-tools on first use. */
function bootstrapVenv(dir) {
  const bin = join(dir, 'bin/python');
  const ready = () => existsSync(bin) && spawnSync(bin, ['-c', 'import grpc_tools'], { stdio: 'ignore' }).status === 0;
  if (ready()) return bin;
  if (!existsSync(bin)) execFileSync('python3', ['-m', 'venv', dir], { stdio: 'inherit' });
  execFileSync(bin, ['-m', 'pip', 'install', '--quiet', 'grpcio-tools>=1.66,<2'], { stdio: 'inherit' });
  return bin;
}
