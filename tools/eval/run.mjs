#!/usr/bin/env node
// `npm run eval -- …`: compiles the evaluation tool and the engine code it runs
// (the same SWC build as `npm run build`, limited to these projects so it takes
// a second or two), then runs the compiled CLI. See `npm run eval -- --help`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The projects tools/eval imports, directly or through them (keep in step with its imports).
const projects = ['libs/domain', 'libs/features', 'libs/recall', 'tools/synthetic', 'tools/eval'];

if (process.env.EVAL_SKIP_BUILD !== '1') {
  const build = spawnSync(process.execPath, [path.join(root, 'tools/build/build.mjs'), ...projects], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
createRequire(import.meta.url)(path.join(root, 'dist/tools/eval/src/main.js'));
