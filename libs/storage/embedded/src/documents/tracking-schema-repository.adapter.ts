import { TrackingSchemaRepository, type TrackingSchema } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { parseBody, type BodyRow } from './json-body';

export class SqliteTrackingSchemaRepository extends TrackingSchemaRepository {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  put(schema: TrackingSchema): Promise<void> {
    return guarded(() => {
      this.db
        .statement(
          'INSERT INTO tracking_schemas (tenant_id, scenario_id, body) VALUES (?, ?, ?) ON CONFLICT (tenant_id, scenario_id) DO UPDATE SET body = excluded.body',
        )
        .run(schema.tenant_id, schema.scenario_id, JSON.stringify(schema));
    });
  }

  get(tenantId: string, scenarioId: string): Promise<TrackingSchema | null> {
    return guarded(() =>
      parseBody<TrackingSchema>(
        this.db.statement('SELECT body FROM tracking_schemas WHERE tenant_id = ? AND scenario_id = ?').get(tenantId, scenarioId) as BodyRow | undefined,
      ),
    );
  }

  delete(tenantId: string, scenarioId: string): Promise<boolean> {
    return guarded(() => this.db.statement('DELETE FROM tracking_schemas WHERE tenant_id = ? AND scenario_id = ?').run(tenantId, scenarioId).changes > 0);
  }
}
