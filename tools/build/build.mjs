#!/usr/bin/env node
// Compiles TypeScript sources to dist/ with SWC, mirroring the repository layout
// (libs/domain/src/x.ts -> dist/libs/domain/src/x.js). `@lemo/*` aliases are
// rewritten to relative paths so the output runs on plain Node with no resolver.
// Type checking is not done here: that is each project's `typecheck` target.
//
// Usage: node tools/build/build.mjs [projectRoot ...]   (no argument: apps + libs)
import { transformFile } from '@swc/core';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const workspaceRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const outRoot = path.join(workspaceRoot, 'dist');
const tsconfig = JSON.parse(readFileSync(path.join(workspaceRoot, 'tsconfig.base.json'), 'utf8'));

const swcOptions = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: workspaceRoot,
    paths: tsconfig.compilerOptions.paths,
  },
  module: { type: 'commonjs' },
  sourceMaps: true,
};

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts');

async function* sourceFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sourceFiles(full);
    } else if (isSource(entry.name)) {
      yield full;
    }
  }
}

async function compile(file) {
  const relative = path.relative(workspaceRoot, file);
  const outFile = path.join(outRoot, relative.replace(/\.ts$/, '.js'));
  const { code, map } = await transformFile(file, { ...swcOptions, filename: file, sourceFileName: path.relative(path.dirname(outFile), file) });
  await mkdir(path.dirname(outFile), { recursive: true });
  if (map) await replaceFile(`${outFile}.map`, map);
  await replaceFile(outFile, `${code}\n//# sourceMappingURL=${path.basename(outFile)}.map\n`);
}

/** Writes beside the target, then renames over it: a process loading dist/ meanwhile (a test's app) sees the old or the new file, never half of one. */
async function replaceFile(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, file);
}

async function projectRoots(args) {
  if (args.length > 0) return args;
  const roots = [];
  const walk = async (dir) => {
    for (const entry of await readdir(path.join(workspaceRoot, dir), { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === 'node_modules') continue;
      const child = path.join(dir, entry.name);
      const hasProject = (await readdir(path.join(workspaceRoot, child))).includes('project.json');
      if (hasProject) roots.push(child);
      else await walk(child);
    }
  };
  await walk('apps');
  await walk('libs');
  await walk('tools');
  return roots;
}

const roots = await projectRoots(process.argv.slice(2));
const files = [];
for (const root of roots) {
  for await (const file of sourceFiles(path.join(workspaceRoot, root))) files.push(file);
}
await Promise.all(files.map(compile));
console.log(`built ${files.length} files from ${roots.length} project(s)`);
