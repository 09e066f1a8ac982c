module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'storage-clickhouse',
  rootDir: __dirname,
  // Suites run against the dev stack's ClickHouse (chDB behind an HTTP server): load its endpoint, allow for real round trips.
  setupFiles: [require.resolve('../../../tools/dev-stack/jest/load-stack-env.js')],
  testTimeout: 60000,
};
