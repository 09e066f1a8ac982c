#!/usr/bin/env node
/**
 * Generates the TypeScript gRPC stubs of proto/ into libs/contracts/src/generated (ts-proto through buf).
 *
 *   node tools/contracts/generate.mjs           regenerate the committed stubs
 *   node tools/contracts/generate.mjs --check   regenerate into a temporary directory and exit 1 when the
 *                                               committed stubs differ (a .proto edited without regenerating)
 *
 * Both modes generate into a fresh directory first, so files of deleted .proto files never linger.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const committed = join(root, 'libs/contracts/src/generated');
const check = process.argv.includes('--check');

const fresh = mkdtempSync(join(tmpdir(), 'lemo-contracts-'));
try {
  // buf resolves the local plugin path and the module against the working directory.
  execFileSync(join(root, 'node_modules/.bin/buf'), ['generate', 'proto', '--template', 'proto/buf.gen.yaml', '-o', fresh], { cwd: root, stdio: 'inherit' });
  if (check) {
    const differences = compareTrees(fresh, committed);
    if (differences.length > 0) {
      console.error(`libs/contracts/src/generated is out of date with proto/ (run: node tools/contracts/generate.mjs):`);
      for (const line of differences) console.error(`  ${line}`);
      process.exitCode = 1;
    } else {
      console.log('libs/contracts/src/generated matches proto/');
    }
  } else {
    rmSync(committed, { recursive: true, force: true });
    cpSync(fresh, committed, { recursive: true });
    console.log(`generated ${listFiles(committed).length} files into ${relative(root, committed)}`);
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

function compareTrees(expectedDir, actualDir) {
  const expected = new Set(listFiles(expectedDir));
  const actual = new Set(listFiles(actualDir));
  const differences = [];
  for (const file of expected) {
    if (!actual.has(file)) differences.push(`missing  ${file}`);
    else if (!readFileSync(join(expectedDir, file)).equals(readFileSync(join(actualDir, file)))) differences.push(`differs  ${file}`);
  }
  for (const file of actual) if (!expected.has(file)) differences.push(`extra    ${file}`);
  return differences;
}
