// The consumer against the dev stack's real Kafka and MongoDB (cluster profile): topics created after
// the start, dead letters read back from Kafka, offsets committed only after the write.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'consumer (cluster)',
  testMatch: ['**/*.cluster.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [require.resolve('../../tools/dev-stack/jest/cluster-profile.js')],
  testTimeout: 180_000,
};
