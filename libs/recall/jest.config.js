module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'recall',
  rootDir: __dirname,
};
