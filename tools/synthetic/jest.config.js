module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'synthetic',
  rootDir: __dirname,
};
