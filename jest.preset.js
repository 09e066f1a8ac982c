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

module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: aliasesFromTsconfig(),
  transform: {
    '^.+\\.ts$': [
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
    ],
  },
  clearMocks: true,
  restoreMocks: true,
};
