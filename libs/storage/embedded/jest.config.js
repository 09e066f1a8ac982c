module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'storage-embedded',
  rootDir: __dirname,
};
