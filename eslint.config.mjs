// Lint rules for every project. Module boundaries follow docs/architecture.md and are
// enforced through Nx project tags (project.json "tags").
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

const depConstraints = [
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
  { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
  { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine'] },
  // The runtime lib composes a process: picks adapters from config, sets up logging, health and metrics.
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:adapter', 'type:application'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine', 'type:adapter', 'type:application', 'type:runtime', 'type:tool', 'type:testing'] },
  // Tools (synthetic data, benchmarks) build on the domain; tests and the demo seeder use them.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:domain', 'type:engine', 'type:tool'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine', 'type:adapter', 'type:application', 'type:runtime', 'type:testing', 'type:tool'] },
  // The all-in-one entry hosts every app's module in one process: the only project allowed to import apps.
  { sourceTag: 'type:composite', onlyDependOnLibsWithTags: ['type:app', 'type:domain', 'type:platform', 'type:engine', 'type:adapter', 'type:application', 'type:runtime', 'type:tool'] },
];

const boundaries = (allow = []) => ['error', { enforceBuildableLibDependency: false, allow, depConstraints }];

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '.stack/**', 'coverage/**', '**/jest.config.js', 'jest.preset.js', 'tools/**/*.mjs', 'tools/**/*.js', 'libs/contracts/src/generated/**', '.tools/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
    },
  },
  {
    // Nx refuses imports of application projects outright; the all-in-one process is the exception by design.
    files: ['apps/all-in-one/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(['@lemo/api', '@lemo/grpc', '@lemo/worker', '@lemo/beat', '@lemo/consumer', '@lemo/streams', '@lemo/model-server']),
    },
  },
  {
    // Domain code stays free of I/O and frameworks.
    files: ['libs/domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['@nestjs/*', 'better-sqlite3', 'hnswlib-node', 'mongoose', 'ioredis', 'kafkajs', 'node:fs', 'fs'] }],
    },
  },
  {
    files: ['**/*.spec.ts', 'libs/domain/testing/**/*.ts', 'libs/testing/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  prettier,
];
