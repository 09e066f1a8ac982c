// Shared Jest preset: every project's jest.config.js spreads this.
// TypeScript is compiled by SWC (decorator metadata on, as NestJS DI needs it);
// type checking is the separate `typecheck` target, so tests stay fast.
const path = require('node:path');
const tsconfig = require('./tsconfig.base.json');

/** Maps every `@lemo/*` path alias of tsconfig.base.json to its source file. */
function aliasesFromTsconfig() {
  const mapper = {};
  for (const [alias, [target]] of Object.entries(tsconfig.compilerOptions.paths)) {
    mapper[`^${alias.replace(/[/.]/g, '\\$&')}$`] = path.join(__dirname, target);
  }
  return mapper;
}

const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: aliasesFromTsconfig(),
  transform: { '^.+\\.ts$': swcTransform, '^.+/node_modules/uuid/.+\\.js$': swcTransform },
  // The Milvus SDK loads parquetjs -> thrift -> uuid 14, which ships ES modules only. Node 20 can require() them,
  // Jest's module loader cannot: that one package is compiled to CommonJS like our own sources.
  transformIgnorePatterns: ['^(?!.*/node_modules/uuid/).*/node_modules/'],
  clearMocks: true,
  restoreMocks: true,
};
