// Jest `setupFiles` entry for suites that run against the real servers:
// loads the endpoints the dev stack wrote to .stack/env into process.env
// (variables already set, e.g. by CI or an operator, win). The suites then
// read them through loadConfig() like the apps do.
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const envFile = path.resolve(__dirname, '../../../.stack/env');
if (existsSync(envFile)) {
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
}
