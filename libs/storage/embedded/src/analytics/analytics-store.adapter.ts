import {
  actionFilter,
  AnalyticsStore,
  checkAnalyticsFilter,
  TREND_BUCKET_MS,
  offsetOf,
  type ActionStat,
  type ActionStatsFilter,
  type AnalyticsRange,
  type AssignmentFilter,
  type AssignmentRecord,
  type BehaviorEvent,
  type ExperimentStat,
  type ItemStat,
  type Page,
  type PageRequest,
  type VariantAssignmentCount,
  type TopItemsFilter,
  type TrendFilter,
  type TrendPoint,
} from '@lemo/domain';
import { countTenantRows } from '../sqlite/count-rows';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';

/** Counts of one group; COUNT(DISTINCT user_id) is exact. */
const COUNTS = 'COUNT(*) AS events, COUNT(DISTINCT user_id) AS users';

/** A WHERE clause and its parameters, built from a tenant, a range and optional filters. */
class Conditions {
  readonly sql: string[] = ['tenant_id = ?', 'timestamp >= ?', 'timestamp < ?'];
  readonly params: unknown[];

  constructor(tenantId: string, range: AnalyticsRange) {
    this.params = [tenantId, range.from, range.to];
  }

  equal(column: string, value: string | undefined): this {
    if (value !== undefined) {
      this.sql.push(`${column} = ?`);
      this.params.push(value);
    }
    return this;
  }

  /** One statement for any number of actions: the list travels as a JSON array. */
  actions(actions: readonly string[] | undefined): this {
    const only = actionFilter(actions);
    if (only) {
      this.sql.push('action_type IN (SELECT value FROM json_each(?))');
      this.params.push(JSON.stringify(only));
    }
    return this;
  }

  get where(): string {
    return this.sql.join(' AND ');
  }
}

/**
 * The AnalyticsStore over one SQLite table keyed (tenant_id, event_id):
 * `INSERT OR IGNORE` makes replays no-ops, and every aggregate is a GROUP BY
 * over an indexed time-range scan. Fine for the embedded profile's volumes;
 * the cluster profile pre-aggregates in ClickHouse.
 */
export class SqliteAnalyticsStore extends AnalyticsStore {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  insertBehaviors(events: readonly BehaviorEvent[]): Promise<void> {
    return guarded(() =>
      this.db.write(() => {
        const insert = this.db.statement(
          `INSERT OR IGNORE INTO analytics_behaviors (tenant_id, event_id, scenario_id, user_id, item_id, action_type, timestamp, experiment_id, experiment_group)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        );
        for (const e of events) {
          insert.run(e.tenant_id, e.event_id, e.scenario_id, e.user_id, e.item_id, e.action_type, e.timestamp, e.experiment_id ?? '', e.experiment_group ?? '');
        }
      }),
    );
  }

  actionStats(tenantId: string, filter: ActionStatsFilter): Promise<ActionStat[]> {
    return this.aggregate<ActionStat>(filter, () => {
      const where = new Conditions(tenantId, filter).equal('scenario_id', filter.scenarioId);
      return [`SELECT action_type, ${COUNTS} FROM analytics_behaviors WHERE ${where.where} GROUP BY action_type ORDER BY action_type`, where.params];
    });
  }

  trend(tenantId: string, filter: TrendFilter): Promise<TrendPoint[]> {
    return this.aggregate<TrendPoint>(filter, () => {
      const where = new Conditions(tenantId, filter).equal('scenario_id', filter.scenarioId).actions(filter.actions);
      const width = TREND_BUCKET_MS[filter.granularity];
      // Integer division: timestamps are positive integers, so this floors to the UTC bucket start.
      return [
        `SELECT (timestamp / ${width}) * ${width} AS bucket_start, action_type, ${COUNTS} FROM analytics_behaviors WHERE ${where.where}
         GROUP BY bucket_start, action_type ORDER BY bucket_start, action_type`,
        where.params,
      ];
    });
  }

  topItems(tenantId: string, filter: TopItemsFilter): Promise<ItemStat[]> {
    return this.aggregate<ItemStat>(filter, () => {
      const where = new Conditions(tenantId, filter).equal('scenario_id', filter.scenarioId).actions(filter.actionTypes);
      return [
        `SELECT item_id, ${COUNTS} FROM analytics_behaviors WHERE ${where.where}
         GROUP BY item_id ORDER BY events DESC, users DESC, item_id LIMIT ?`,
        [...where.params, filter.limit],
      ];
    });
  }

  experimentStats(tenantId: string, experimentId: string, filter: AnalyticsRange): Promise<ExperimentStat[]> {
    return this.aggregate<ExperimentStat>(filter, () => {
      const where = new Conditions(tenantId, filter).equal('experiment_id', experimentId);
      // `experiment_id <> ''` repeats the covering index's WHERE: SQLite only uses a partial index when the
      // query implies its condition, which `experiment_id = ?` (a parameter) does not by itself.
      return [
        `SELECT experiment_group, action_type, ${COUNTS} FROM analytics_behaviors WHERE ${where.where} AND experiment_id <> '' AND experiment_group <> ''
         GROUP BY experiment_group, action_type ORDER BY experiment_group, action_type`,
        where.params,
      ];
    });
  }

  activeUsers(tenantId: string, filter: ActionStatsFilter): Promise<number> {
    return guarded(() => {
      checkAnalyticsFilter(filter);
      const where = new Conditions(tenantId, filter).equal('scenario_id', filter.scenarioId);
      const row = this.db.statement(`SELECT COUNT(DISTINCT user_id) AS users FROM analytics_behaviors WHERE ${where.where}`).get(...where.params) as {
        users: number;
      };
      return row.users;
    });
  }

  /** A repeat replaces the stored row only when it is earlier, so the first assignment wins in any arrival order. */
  recordAssignments(assignments: readonly AssignmentRecord[]): Promise<void> {
    return guarded(() =>
      this.db.write(() => {
        const upsert = this.db.statement(
          `INSERT INTO experiment_assignments (tenant_id, experiment_id, user_id, variant_id, assigned_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (tenant_id, experiment_id, user_id) DO UPDATE SET variant_id = excluded.variant_id, assigned_at = excluded.assigned_at
           WHERE excluded.assigned_at < experiment_assignments.assigned_at`,
        );
        for (const a of assignments) upsert.run(a.tenant_id, a.experiment_id, a.user_id, a.variant_id, a.assigned_at);
      }),
    );
  }

  assignments(tenantId: string, experimentId: string, filter: AssignmentFilter, page: PageRequest): Promise<Page<AssignmentRecord>> {
    return guarded(() => {
      const conditions = ['tenant_id = ?', 'experiment_id = ?'];
      const params: unknown[] = [tenantId, experimentId];
      if (filter.variantId !== undefined) {
        conditions.push('variant_id = ?');
        params.push(filter.variantId);
      }
      if (filter.userId !== undefined) {
        conditions.push('user_id = ?');
        params.push(filter.userId);
      }
      const where = conditions.join(' AND ');
      const { total } = this.db.statement(`SELECT COUNT(*) AS total FROM experiment_assignments WHERE ${where}`).get(...params) as { total: number };
      const items = this.db
        .statement(
          `SELECT tenant_id, experiment_id, variant_id, user_id, assigned_at FROM experiment_assignments WHERE ${where} ORDER BY user_id LIMIT ? OFFSET ?`,
        )
        .all(...params, page.pageSize, offsetOf(page)) as AssignmentRecord[];
      return { items, total, page: page.page, pageSize: page.pageSize };
    });
  }

  assignmentCounts(tenantId: string, experimentId: string): Promise<VariantAssignmentCount[]> {
    return guarded(
      () =>
        this.db
          .statement(
            'SELECT variant_id, COUNT(*) AS users FROM experiment_assignments WHERE tenant_id = ? AND experiment_id = ? GROUP BY variant_id ORDER BY variant_id',
          )
          .all(tenantId, experimentId) as VariantAssignmentCount[],
    );
  }

  async deleteUser(tenantId: string, userId: string): Promise<void> {
    await guarded(() =>
      this.db.write(() => {
        this.db.statement('DELETE FROM analytics_behaviors WHERE tenant_id = ? AND user_id = ?').run(tenantId, userId);
        this.db.statement('DELETE FROM experiment_assignments WHERE tenant_id = ? AND user_id = ?').run(tenantId, userId);
      }),
    );
  }

  count(tenantId: string, scenarioId?: string): Promise<number> {
    return guarded(() => countTenantRows(this.db, 'analytics_behaviors', tenantId, scenarioId));
  }

  /** Validates the filter the same way as every adapter, then runs the query it builds. */
  private aggregate<T>(filter: Parameters<typeof checkAnalyticsFilter>[0], build: () => [sql: string, params: unknown[]]): Promise<T[]> {
    return guarded(() => {
      checkAnalyticsFilter(filter);
      const [sql, params] = build();
      return this.db.statement(sql).all(...params) as T[];
    });
  }
}
