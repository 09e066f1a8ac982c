module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'model-server',
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '\\.cluster\\.spec\\.ts$'],
};
