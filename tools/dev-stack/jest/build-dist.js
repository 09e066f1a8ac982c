// Jest `globalSetup` of the suites that run apps as separate processes (libs/testing's AppCluster starts
// dist/apps/<app>/src/main.js): compiles the whole workspace with SWC first, so the processes run the
// sources under test, never a stale build. About 3 s for every project; files are replaced atomically,
// so an app already running from dist/ is never handed a half-written module.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function buildDist() {
  const workspace = path.resolve(__dirname, '../../..');
  const started = Date.now();
  execFileSync(process.execPath, [path.join(workspace, 'tools/build/build.mjs')], { cwd: workspace, stdio: ['ignore', 'pipe', 'inherit'] });
  process.stdout.write(`\ndist built in ${Date.now() - started} ms\n`);
};
