module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'worker',
  rootDir: __dirname,
  // *.cluster.spec.ts run worker processes against the dev stack: test-cluster runs them.
  testPathIgnorePatterns: ['/node_modules/', '\\.cluster\\.spec\\.ts$'],
};
