import { runCli } from './cli';

// Entry point of `npm run eval` (tools/eval/run.mjs runs the built copy of this file).
void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
