module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'helm-checks',
  rootDir: __dirname,
  // Each test renders the chart with helm (a Go binary): a few hundred ms each.
  testTimeout: 60_000,
};
