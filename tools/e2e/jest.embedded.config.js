// The end-to-end suite on the embedded profile: the all-in-one process from the dist build (built first
// by the global setup); no server needed.
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'e2e (embedded)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.embedded.e2e.spec.ts'],
  globalSetup: require.resolve('../dev-stack/jest/build-dist.js'),
  // Generous: cold starts of several apps on a loaded 2-core machine take minutes; an idle CI machine needs far less.
  testTimeout: 600_000,
};
