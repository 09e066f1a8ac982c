module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'platform-errors',
  rootDir: __dirname,
};
