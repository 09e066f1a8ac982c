module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'consumer',
  rootDir: __dirname,
  // *.cluster.spec.ts need the real Kafka and MongoDB of the dev stack: test-cluster runs them.
  testPathIgnorePatterns: ['/node_modules/', '\\.cluster\\.spec\\.ts$'],
  testTimeout: 60_000,
};
