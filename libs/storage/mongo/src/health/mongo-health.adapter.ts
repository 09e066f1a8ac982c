import { HealthIndicator, type DependencyHealth } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { toDomainError } from '../connection/mongo-errors';

/** Pings the server; the detail names the database, never the URL (it may hold credentials). */
export class MongoHealthIndicator extends HealthIndicator {
  constructor(private readonly connection: Connection) {
    super();
  }

  async check(): Promise<DependencyHealth[]> {
    try {
      const db = this.connection.db;
      if (!db) return [{ name: 'mongodb', ok: false, detail: 'not connected' }];
      await db.command({ ping: 1 });
      return [{ name: 'mongodb', ok: true, detail: db.databaseName }];
    } catch (error) {
      return [{ name: 'mongodb', ok: false, detail: toDomainError(error).message }];
    }
  }
}
