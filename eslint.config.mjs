// Lint rules for every project. Module boundaries follow docs/architecture.md:
// apps -> libs; engine libs -> domain (+ platform); adapters -> domain (+ platform);
// domain -> nothing with I/O. Enforced through Nx project tags.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '.stack/**', 'coverage/**', '**/jest.config.js', 'jest.preset.js', 'tools/**/*.mjs', 'tools/**/*.js'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
            { sourceTag: 'type:engine', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine'] },
            { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
            { sourceTag: 'type:application', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine', 'type:adapter', 'type:application'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:platform', 'type:engine', 'type:adapter', 'type:application', 'type:testing'] },
            // The all-in-one entry hosts every app's module in one process: the only project allowed to import apps.
            { sourceTag: 'type:composite', onlyDependOnLibsWithTags: ['type:app', 'type:domain', 'type:platform', 'type:engine', 'type:adapter', 'type:application'] },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'error',
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
