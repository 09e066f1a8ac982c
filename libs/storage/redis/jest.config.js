module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'storage-redis',
  rootDir: __dirname,
  // Suites run against the dev stack's Redis: load its endpoint, and allow for real round trips.
  setupFiles: [require.resolve('../../../tools/dev-stack/jest/load-stack-env.js')],
  testTimeout: 30_000,
};
