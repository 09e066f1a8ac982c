module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'beat',
  rootDir: __dirname,
  // two-beats.cluster.spec.ts runs beat processes against the dev stack: load its endpoints (.stack/env).
  setupFiles: [require.resolve('../../tools/dev-stack/jest/load-stack-env.js')],
  testTimeout: 60_000,
};
