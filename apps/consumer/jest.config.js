module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'consumer',
  rootDir: __dirname,
};
