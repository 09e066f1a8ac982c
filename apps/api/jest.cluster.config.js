// The same HTTP end-to-end suites as jest.config.js, on the cluster profile against the real servers,
// and the suites that only make sense there (*.cluster.spec.ts: network faults between the app and a server).
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'api (cluster)',
  testMatch: ['**/*.e2e.spec.ts', '**/*.cluster.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [require.resolve('../../tools/dev-stack/jest/cluster-profile.js')],
  testTimeout: 120_000,
};
