module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'storage-mongo',
  rootDir: __dirname,
  // The suites talk to the real server started by the dev stack (.stack/env).
  setupFiles: [require.resolve('../../../tools/dev-stack/jest/load-stack-env.js')],
  testTimeout: 30000,
};
