module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'beat',
  rootDir: __dirname,
};
