module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'streams',
  rootDir: __dirname,
  // *.cluster.spec.ts need the real Kafka and ClickHouse: test-cluster runs them.
  testPathIgnorePatterns: ['/node_modules/', '\\.cluster\\.spec\\.ts$'],
  testTimeout: 30_000,
};
