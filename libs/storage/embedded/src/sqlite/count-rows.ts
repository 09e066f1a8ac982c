import type { SqliteDatabase } from './sqlite-database';

/** Rows of one tenant in a table keyed (tenant_id, scenario_id, ...), optionally of one scenario. */
export function countTenantRows(db: SqliteDatabase, table: 'items' | 'events' | 'analytics_behaviors', tenantId: string, scenarioId?: string): number {
  const row =
    scenarioId === undefined
      ? db.statement(`SELECT COUNT(*) AS total FROM ${table} WHERE tenant_id = ?`).get(tenantId)
      : db.statement(`SELECT COUNT(*) AS total FROM ${table} WHERE tenant_id = ? AND scenario_id = ?`).get(tenantId, scenarioId);
  return (row as { total: number }).total;
}
