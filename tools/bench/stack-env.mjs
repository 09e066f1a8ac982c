// Shared by the benchmarks that run against the dev stack (consumer, streams, experiment-results).
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The dev stack's endpoints from .stack/env, variables already set winning (as in
 * tools/dev-stack/jest/load-stack-env.js); fails naming the first of `required` that is missing.
 */
export function stackEnv(required) {
  const env = {};
  const file = path.join(root, '.stack/env');
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (match) env[match[1]] = match[2];
    }
  }
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  for (const name of required) {
    if (!env[name]) throw new Error(`${name} is not set: start the dev stack (npm run stack:up) or set it`);
  }
  return env;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; free when returned). */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
