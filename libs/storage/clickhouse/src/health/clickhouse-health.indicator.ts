import { HealthIndicator, type DependencyHealth } from '@lemo/domain';
import { toNumber, type ClickHouseConnection } from '../clickhouse-connection';
import { USER_BEHAVIORS } from '../schema/migrations';
import { SqlParams } from '../sql/sql-params';

/**
 * Readiness: the server answers a query with our credentials (the /ping
 * endpoint checks neither) and the schema is there.
 */
export class ClickHouseHealthIndicator extends HealthIndicator {
  constructor(
    private readonly connection: ClickHouseConnection,
    /** host:port/database, never the URL: it may carry credentials. */
    private readonly address: string,
  ) {
    super();
  }

  async check(): Promise<DependencyHealth[]> {
    try {
      const p = new SqlParams();
      const [row] = await this.connection.rows<{ n: string | number }>(
        `SELECT count() AS n FROM system.tables WHERE database = ${p.text(this.connection.database)} AND name = ${p.text(USER_BEHAVIORS)}`,
        p,
      );
      const migrated = toNumber(row.n) === 1;
      return [{ name: 'clickhouse', ok: migrated, detail: migrated ? this.address : `${this.address}: ${USER_BEHAVIORS} is missing (not migrated)` }];
    } catch (error) {
      return [{ name: 'clickhouse', ok: false, detail: `${this.address}: ${(error as Error).message}` }];
    }
  }
}
