module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'grpc',
  rootDir: __dirname,
  // The etcd registration suite runs against the dev stack's etcd: load its endpoint like the adapter suites do.
  setupFiles: [require.resolve('../../tools/dev-stack/jest/load-stack-env.js')],
};
