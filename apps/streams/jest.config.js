module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'streams',
  rootDir: __dirname,
};
