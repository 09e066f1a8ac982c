const preset = require('../../../jest.preset.js');

module.exports = {
  ...preset,
  displayName: 'storage-milvus',
  rootDir: __dirname,
  // The suites run against the real Milvus of the dev stack (tools/dev-stack): its endpoint comes from .stack/env.
  setupFiles: [require.resolve('../../../tools/dev-stack/jest/load-stack-env.js')],
  // Collection creation, index build and load take seconds on a real server.
  testTimeout: 60_000,
};
