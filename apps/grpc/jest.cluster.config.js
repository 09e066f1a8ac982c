// The same gRPC end-to-end suites as jest.config.js, on the cluster profile against the real servers
// (MongoDB, Redis, Kafka, Milvus, ClickHouse of the dev stack, .stack/env): createGrpcTestApp reads PROFILE
// from the environment and gives each app its own databases, key prefixes, topics and collection.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'grpc (cluster)',
  testMatch: ['**/*.e2e.spec.ts', '**/*.cluster.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [require.resolve('../../tools/dev-stack/jest/cluster-profile.js')],
  testTimeout: 120_000,
};
