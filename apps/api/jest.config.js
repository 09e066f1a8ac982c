module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'api',
  rootDir: __dirname,
  // *.cluster.spec.ts need the real servers (faults injected between the app and them): test-cluster runs them.
  testPathIgnorePatterns: ['/node_modules/', '\\.cluster\\.spec\\.ts$'],
};
