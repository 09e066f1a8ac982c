import { HealthIndicator, type DependencyHealth } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { messageOf } from '../error-message';

export class SqliteHealthIndicator extends HealthIndicator {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  async check(): Promise<DependencyHealth[]> {
    try {
      this.db.statement('SELECT 1').get();
      return [{ name: 'sqlite', ok: true, detail: this.db.file }];
    } catch (error) {
      return [{ name: 'sqlite', ok: false, detail: messageOf(error) }];
    }
  }
}
