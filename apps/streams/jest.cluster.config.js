// The stream jobs on the cluster profile against the dev stack's real Kafka and ClickHouse
// (streams app processes spawned from the TypeScript sources, crashed and restarted).
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'streams (cluster)',
  testMatch: ['**/*.cluster.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [require.resolve('../../tools/dev-stack/jest/cluster-profile.js')],
  testTimeout: 300_000,
};
