// The end-to-end suite on the cluster profile: every app a separate process from the dist build (built
// first by the global setup), against the dev stack's servers (npm run stack:up).
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e (cluster)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.cluster.e2e.spec.ts'],
  setupFiles: [require.resolve('../dev-stack/jest/cluster-profile.js')],
  globalSetup: require.resolve('../dev-stack/jest/build-dist.js'),
  // Generous: cold starts of several apps on a loaded 2-core machine take minutes; an idle CI machine needs far less.
  testTimeout: 600_000,
};
