// Worker processes (dist build, real OS processes) on the cluster profile against the dev stack's servers:
// killed or stopped mid-job, the job still completes once. Needs the dev stack (npm run stack:up).
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'worker (cluster)',
  testMatch: ['**/*.cluster.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [require.resolve('../../tools/dev-stack/jest/cluster-profile.js')],
  // The processes run dist/: build it from the sources under test first (a few seconds).
  globalSetup: require.resolve('../../tools/dev-stack/jest/build-dist.js'),
  // Generous: on a loaded 2-core machine one training run alone can take a minute.
  testTimeout: 600_000,
};
