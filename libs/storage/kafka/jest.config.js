module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'storage-kafka',
  rootDir: __dirname,
  // Suites run against the dev stack's real broker (endpoints from .stack/env).
  setupFiles: [require.resolve('../../../tools/dev-stack/jest/load-stack-env.js')],
  testTimeout: 60_000,
  // One file at a time: the outage suite stops and restarts the broker the other suites use.
  maxWorkers: 1,
};
