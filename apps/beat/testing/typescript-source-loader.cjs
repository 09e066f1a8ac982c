// `node -r ./apps/beat/testing/typescript-source-loader.cjs apps/beat/src/main.ts` runs an app
// from its TypeScript sources, compiled on require by SWC with the options of tools/build/build.mjs
// (decorator metadata, @lemo/* aliases rewritten to relative paths). Tests spawn real app processes
// this way without writing dist/, which other builds and running apps share.
const { transformSync } = require('@swc/core');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const workspaceRoot = path.resolve(__dirname, '../../..');
const { compilerOptions } = require(path.join(workspaceRoot, 'tsconfig.base.json'));

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: workspaceRoot,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
