// The same HTTP end-to-end suites as jest.config.js, on the cluster profile against the real servers.
const base = require('./jest.config.js');

module.exports = {
  ...base,
  displayName: 'api (cluster)',
  testMatch: ['**/*.e2e.spec.ts'],
  setupFiles: [require.resolve('../../tools/dev-stack/jest/cluster-profile.js')],
  testTimeout: 120_000,
};
