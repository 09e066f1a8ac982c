// Applies the ClickHouse schema migrations to the database the environment names:
//   npm run build && node dist/libs/storage/clickhouse/src/migrate.cli.js [--retention-days N]
// CLICKHOUSE_HOST (required), CLICKHOUSE_PORT, CLICKHOUSE_DATABASE, CLICKHOUSE_USER, CLICKHOUSE_PASSWORD
// are read through the platform config like the apps do. Exit status: 0 migrated, 1 failed, 2 bad usage.
import { loadConfig } from '@lemo/platform-config';
import { createClickHouseClient } from './clickhouse-connection';
import { migrateClickHouse } from './schema/migrations';

const USAGE = 'usage: migrate.cli.js [--retention-days N]   (N: days of events and rollups to keep, 1..3650; omitted: leave the current TTLs)';

class UsageError extends Error {}

function retentionFromArgs(args: readonly string[]): number | undefined {
  if (args.length === 0) return undefined;
  const [flag, value, ...rest] = args;
  if (flag !== '--retention-days' || value === undefined || rest.length > 0 || !/^\d+$/.test(value)) throw new UsageError(USAGE);
  return Number(value);
}

async function main(): Promise<void> {
  const retentionDays = retentionFromArgs(process.argv.slice(2));
  const endpoint = loadConfig().backends.clickhouse;
  if (!endpoint) throw new UsageError('CLICKHOUSE_HOST is not set: nothing to migrate');
  const client = createClickHouseClient({ url: endpoint.url, username: endpoint.username, password: endpoint.password });
  try {
    const report = await migrateClickHouse(client, endpoint.database, { retentionDays });
    const applied = report.applied.map((m) => `${m.version} ${m.name}`).join(', ') || 'none (schema is current)';
    process.stdout.write(`clickhouse ${new URL(endpoint.url).host}/${report.database}: applied ${applied}\n`);
    if (report.retentionChanged.length > 0) process.stdout.write(`retention set to ${retentionDays} days on ${report.retentionChanged.join(', ')}\n`);
  } finally {
    await client.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
