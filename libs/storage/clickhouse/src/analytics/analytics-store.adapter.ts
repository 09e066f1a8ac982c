import { createHash, randomUUID } from 'node:crypto';
import {
  actionFilter,
  AnalyticsStore,
  checkAnalyticsFilter,
  DomainError,
  firstOccurrences,
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
import { toNumber, type ClickHouseConnection } from '../clickhouse-connection';
import { EXPERIMENT_ASSIGNMENTS, USER_BEHAVIORS } from '../schema/migrations';
import { DAILY_ITEM_STATS, EXPERIMENT_HOURLY_METRICS, HOURLY_ACTION_METRICS, rollupExpression, rollupSelect, ROLLUPS, type Rollup } from '../schema/rollups';
import { SqlParams } from '../sql/sql-params';
import { KeyedSerializer } from './keyed-serializer';

export interface ClickHouseAnalyticsOptions {
  /**
   * Answer ranges made of whole rollup buckets (hours; days for top items)
   * from the materialised views' tables (default true). False always reads
   * `user_behaviors`: the specs compare both paths.
   */
  readRollups?: boolean;
}

/** Rollup buckets are DateTime('UTC'), which ends in 2106. */
const DATETIME_MAX_MS = 4_294_967_295_000;
/** Event ids per existence check (sent as a multipart body). */
const ID_CHECK_CHUNK = 10_000;

/** Settings of every insert into user_behaviors; see the README, "Exactly once". */
const INSERT_SETTINGS = { async_insert: 0, insert_deduplicate: 1, deduplicate_blocks_in_dependent_materialized_views: 1 } as const;

interface CountRow {
  events: string | number;
  users: string | number;
}

/** Where a query reads from: the events themselves (deduplicated with FINAL) or a rollup. */
interface Source {
  from: string;
  /** The [from, to) condition on the source's time column. */
  during(params: SqlParams, range: AnalyticsRange): string;
  counts: string;
  /** Start of the UTC bucket of `widthMs` a row falls in, unix ms. */
  bucketStart(widthMs: number): string;
}

/** JSON text of an optional structured field; '' when absent. */
const json = (value: unknown): string => (value === undefined ? '' : JSON.stringify(value));

/** The `user_behaviors` row of an event (exported for the benchmark's bulk load). */
export function toRow(event: BehaviorEvent): Record<string, unknown> {
  return {
    tenant_id: event.tenant_id,
    scenario_id: event.scenario_id,
    // An integer is read as ticks of the column's precision: unix ms for DateTime64(3).
    event_time: event.timestamp,
    event_id: event.event_id,
    user_id: event.user_id,
    item_id: event.item_id,
    action_type: event.action_type,
    experiment_id: event.experiment_id ?? '',
    experiment_group: event.experiment_group ?? '',
    request_id: event.request_id ?? '',
    position: event.position ?? null,
    value: event.value ?? null,
    device_type: event.context?.device_type ?? '',
    context: json(event.context),
    scenario_data: json(event.scenario_data),
    extra_data: json(event.extra_data),
    received_at: event.received_at,
  };
}

function groupByTenant(events: readonly BehaviorEvent[]): Map<string, BehaviorEvent[]> {
  const groups = new Map<string, BehaviorEvent[]>();
  for (const event of events) {
    const group = groups.get(event.tenant_id);
    if (group) group.push(event);
    else groups.set(event.tenant_id, [event]);
  }
  return groups;
}

/**
 * The AnalyticsStore on ClickHouse. Events go to `user_behaviors`
 * (ReplacingMergeTree, read with FINAL); three materialised views keep hourly
 * and daily rollups that answer bucket-aligned ranges. Exactly-once in effect:
 * a batch is inserted without the event ids already stored, with an
 * insert_deduplication_token, and writes of one tenant are serialised in this
 * process (README, "Exactly once").
 */
export class ClickHouseAnalyticsStore extends AnalyticsStore {
  private readonly writes = new KeyedSerializer();
  private readonly events: string;
  private readonly assignmentsTable: string;
  private readonly readRollups: boolean;

  constructor(
    private readonly connection: ClickHouseConnection,
    options: ClickHouseAnalyticsOptions = {},
  ) {
    super();
    this.events = connection.table(USER_BEHAVIORS);
    this.assignmentsTable = connection.table(EXPERIMENT_ASSIGNMENTS);
    this.readRollups = options.readRollups ?? true;
  }

  async insertBehaviors(events: readonly BehaviorEvent[]): Promise<void> {
    for (const [tenantId, batch] of groupByTenant(firstOccurrences(events))) {
      await this.writes.run(tenantId, () => this.insertNew(tenantId, batch));
    }
  }

  actionStats(tenantId: string, filter: ActionStatsFilter): Promise<ActionStat[]> {
    return this.aggregate<{ action_type: string }>(
      filter,
      HOURLY_ACTION_METRICS,
      (p, source) =>
        `SELECT action_type, ${source.counts} FROM ${source.from}
         WHERE ${this.scope(p, tenantId, source, filter, { scenario_id: filter.scenarioId })}
         GROUP BY action_type ORDER BY action_type`,
    );
  }

  async trend(tenantId: string, filter: TrendFilter): Promise<TrendPoint[]> {
    // Day buckets are unions of whole hours, so an hour-aligned range reads the hourly rollup for both granularities.
    const rows = await this.aggregate<{ bucket_start: string | number; action_type: string }>(
      filter,
      HOURLY_ACTION_METRICS,
      (p, source) =>
        `SELECT ${source.bucketStart(TREND_BUCKET_MS[filter.granularity])} AS bucket_start, action_type, ${source.counts} FROM ${source.from}
         WHERE ${this.scope(p, tenantId, source, filter, { scenario_id: filter.scenarioId }, filter.actions)}
         GROUP BY bucket_start, action_type ORDER BY bucket_start, action_type`,
    );
    return rows.map((row) => ({ ...row, bucket_start: toNumber(row.bucket_start) }));
  }

  topItems(tenantId: string, filter: TopItemsFilter): Promise<ItemStat[]> {
    // The limit is spliced in: aggregate() checked it is an integer in 1..MAX_TOP_ITEMS first.
    return this.aggregate<{ item_id: string }>(
      filter,
      DAILY_ITEM_STATS,
      (p, source) =>
        `SELECT item_id, ${source.counts} FROM ${source.from}
         WHERE ${this.scope(p, tenantId, source, filter, { scenario_id: filter.scenarioId }, filter.actionTypes)}
         GROUP BY item_id ORDER BY events DESC, users DESC, item_id LIMIT ${filter.limit}`,
    );
  }

  experimentStats(tenantId: string, experimentId: string, filter: AnalyticsRange): Promise<ExperimentStat[]> {
    return this.aggregate<{ experiment_group: string; action_type: string }>(
      filter,
      EXPERIMENT_HOURLY_METRICS,
      (p, source) =>
        `SELECT experiment_group, action_type, ${source.counts} FROM ${source.from}
         WHERE ${this.scope(p, tenantId, source, filter, { experiment_id: experimentId })} AND experiment_group != ''
         GROUP BY experiment_group, action_type ORDER BY experiment_group, action_type`,
    );
  }

  /** Always from the events: distinct users across actions cannot be added up from per-action rollup rows. */
  async activeUsers(tenantId: string, filter: ActionStatsFilter): Promise<number> {
    checkAnalyticsFilter(filter);
    const p = new SqlParams();
    const scenario = filter.scenarioId === undefined ? '' : ` AND scenario_id = ${p.text(filter.scenarioId)}`;
    // No FINAL: the rows it would merge away are redeliveries of one event, with the same user.
    const [row] = await this.connection.rows<{ users: string | number }>(
      `SELECT uniqExact(user_id) AS users FROM ${this.events}
       WHERE tenant_id = ${p.text(tenantId)} AND event_time >= ${p.millis(filter.from)} AND event_time < ${p.millis(filter.to)}${scenario}`,
      p,
    );
    return toNumber(row.users);
  }

  /** Repeats are harmless: parts merge each (tenant, experiment, user) into its earliest assigned_at, and reads use FINAL. */
  async recordAssignments(assignments: readonly AssignmentRecord[]): Promise<void> {
    if (assignments.length === 0) return;
    await this.connection.insert(
      EXPERIMENT_ASSIGNMENTS,
      assignments.map((a) => ({ tenant_id: a.tenant_id, experiment_id: a.experiment_id, user_id: a.user_id, variant_id: a.variant_id, assigned_at: a.assigned_at })),
      { async_insert: 0 },
    );
  }

  async assignments(tenantId: string, experimentId: string, filter: AssignmentFilter, page: PageRequest): Promise<Page<AssignmentRecord>> {
    const p = new SqlParams();
    const conditions = [`tenant_id = ${p.text(tenantId)}`, `experiment_id = ${p.text(experimentId)}`];
    if (filter.variantId !== undefined) conditions.push(`variant_id = ${p.text(filter.variantId)}`);
    if (filter.userId !== undefined) conditions.push(`user_id = ${p.text(filter.userId)}`);
    const where = conditions.join(' AND ');
    // Integers checked here are spliced in, like topItems' limit.
    if (!(Number.isSafeInteger(page.pageSize) && Number.isSafeInteger(page.page) && page.pageSize >= 1 && page.page >= 1)) throw DomainError.invalid('page', 'page and page size must be positive integers');
    const [count, rows] = await Promise.all([
      this.connection.rows<{ n: string | number }>(`SELECT count() AS n FROM ${this.assignmentsTable} FINAL WHERE ${where}`, p),
      this.connection.rows<{ user_id: string; variant_id: string; assigned_at: string | number }>(
        `SELECT user_id, variant_id, toUnixTimestamp64Milli(assigned_at) AS assigned_at FROM ${this.assignmentsTable} FINAL WHERE ${where}
         ORDER BY user_id LIMIT ${page.pageSize} OFFSET ${offsetOf(page)}`,
        p,
      ),
    ]);
    return {
      items: rows.map((row) => ({ tenant_id: tenantId, experiment_id: experimentId, variant_id: row.variant_id, user_id: row.user_id, assigned_at: toNumber(row.assigned_at) })),
      total: toNumber(count[0].n),
      page: page.page,
      pageSize: page.pageSize,
    };
  }

  async assignmentCounts(tenantId: string, experimentId: string): Promise<VariantAssignmentCount[]> {
    const p = new SqlParams();
    const rows = await this.connection.rows<{ variant_id: string; users: string | number }>(
      `SELECT variant_id, count() AS users FROM ${this.assignmentsTable} FINAL
       WHERE tenant_id = ${p.text(tenantId)} AND experiment_id = ${p.text(experimentId)} GROUP BY variant_id ORDER BY variant_id`,
      p,
    );
    return rows.map((row) => ({ variant_id: row.variant_id, users: toNumber(row.users) }));
  }

  /**
   * Rebuilds the rollup buckets the user's events fall in without them, then
   * deletes the events. In that order a failure half way leaves the events in
   * place, so calling again redoes the whole delete (the events are what tells
   * which buckets to rebuild).
   */
  deleteUser(tenantId: string, userId: string): Promise<void> {
    return this.writes.run(tenantId, async () => {
      const p = new SqlParams();
      const userEvents = `tenant_id = ${p.text(tenantId)} AND user_id = ${p.text(userId)}`;
      await this.connection.command(`DELETE FROM ${this.assignmentsTable} WHERE ${userEvents}`, p, { lightweight_deletes_sync: '2' });
      const [span] = await this.connection.rows<{ n: string | number; first: string | number; last: string | number }>(
        `SELECT count() AS n, toUnixTimestamp64Milli(min(event_time)) AS first, toUnixTimestamp64Milli(max(event_time)) AS last
         FROM ${this.events} WHERE ${userEvents}`,
        p,
      );
      if (toNumber(span.n) === 0) return;
      // The user's buckets, kept aside while they are rebuilt (a Memory table: no state across HTTP requests otherwise).
      const touched = this.connection.table(`gdpr_scratch_${randomUUID().replaceAll('-', '')}`);
      await this.connection.command(
        `CREATE TABLE ${touched} ENGINE = Memory AS
         SELECT DISTINCT scenario_id, item_id, experiment_id, toStartOfHour(event_time) AS hour, toDate(event_time) AS day
         FROM ${this.events} WHERE ${userEvents}`,
        p,
      );
      try {
        const range = { from: toNumber(span.first), to: toNumber(span.last) + 1 };
        for (const rollup of ROLLUPS) await this.rebuildWithout(rollup, tenantId, userId, touched, range);
        await this.connection.command(`DELETE FROM ${this.events} WHERE ${userEvents}`, p, { lightweight_deletes_sync: '2' });
      } finally {
        await this.connection.command(`DROP TABLE IF EXISTS ${touched}`);
      }
    });
  }

  async count(tenantId: string, scenarioId?: string): Promise<number> {
    const p = new SqlParams();
    const scenario = scenarioId === undefined ? '' : ` AND scenario_id = ${p.text(scenarioId)}`;
    const [row] = await this.connection.rows<{ n: string | number }>(`SELECT count() AS n FROM ${this.events} FINAL WHERE tenant_id = ${p.text(tenantId)}${scenario}`, p);
    return toNumber(row.n);
  }

  /** Inserts the events of the batch not stored yet; runs serialised per tenant. */
  private async insertNew(tenantId: string, batch: readonly BehaviorEvent[]): Promise<void> {
    const stored = await this.storedIds(tenantId, batch);
    const fresh = batch.filter((event) => !stored.has(event.event_id));
    if (fresh.length === 0) return;
    // The same fresh set always gets the same token: a retry of an insert that reached the server
    // anyway, or the same batch from another process at the same time, is dropped as a whole block
    // by the table and by every view (within the last DEDUPLICATION_WINDOW blocks).
    const token = createHash('sha256')
      .update(JSON.stringify([tenantId, fresh.map((event) => event.event_id).sort()]))
      .digest('hex');
    await this.connection.insert(USER_BEHAVIORS, fresh.map(toRow), { ...INSERT_SETTINGS, insert_deduplication_token: token });
  }

  /**
   * Which events of the batch the table holds. A stored event is the same
   * event whatever delivers it again (same scenario and time), so the lookup is
   * bounded by the chunk's scenarios and time range: the sorting key
   * (tenant, scenario, event_time) and the monthly partitions prune what it
   * reads, instead of a scan of every event id of the tenant that grows with
   * the table.
   */
  private async storedIds(tenantId: string, batch: readonly BehaviorEvent[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (let start = 0; start < batch.length; start += ID_CHECK_CHUNK) {
      const chunk = batch.slice(start, start + ID_CHECK_CHUNK);
      let from = Number.POSITIVE_INFINITY;
      let to = Number.NEGATIVE_INFINITY;
      for (const event of chunk) {
        from = Math.min(from, event.timestamp);
        to = Math.max(to, event.timestamp);
      }
      const p = new SqlParams();
      const rows = await this.connection.rows<{ event_id: string }>(
        `SELECT event_id FROM ${this.events}
         WHERE tenant_id = ${p.text(tenantId)} AND scenario_id IN ${p.texts([...new Set(chunk.map((event) => event.scenario_id))])}
           AND event_time BETWEEN ${p.millis(from)} AND ${p.millis(to)} AND event_id IN ${p.texts(chunk.map((event) => event.event_id))}`,
        p,
      );
      for (const row of rows) stored.add(row.event_id);
    }
    return stored;
  }

  /**
   * Replaces the rollup's rows of the touched buckets with an aggregation of
   * the events in them, leaving out the user's. `range` spans the user's events.
   */
  private async rebuildWithout(rollup: Rollup, tenantId: string, userId: string, touched: string, range: AnalyticsRange): Promise<void> {
    const columns = [...rollup.keys, rollup.bucket.column];
    const inTouched = (expressions: readonly string[]) => `(${expressions.join(', ')}) IN (SELECT ${columns.join(', ')} FROM ${touched})`;
    const d = new SqlParams();
    await this.connection.command(
      `ALTER TABLE ${this.connection.table(rollup.table)} DELETE WHERE tenant_id = ${d.text(tenantId)} AND ${inTouched(columns)}`,
      d,
      { mutations_sync: '2' },
    );
    const width = rollup.bucket.widthMs;
    const i = new SqlParams();
    const filters = [
      `tenant_id = ${i.text(tenantId)}`,
      `event_time >= ${i.millis(Math.floor(range.from / width) * width)}`,
      `event_time < ${i.millis(Math.ceil(range.to / width) * width)}`,
      inTouched(columns.map((column) => rollupExpression(rollup, column))),
      `user_id != ${i.text(userId)}`,
    ];
    // A fresh token: block deduplication must never take this aggregate for an earlier, identical one.
    await this.connection.command(`INSERT INTO ${this.connection.table(rollup.table)} ${rollupSelect(rollup, `${this.events} FINAL`, filters)}`, i, {
      insert_deduplication_token: randomUUID(),
    });
  }

  /**
   * Checks the filter like every adapter, runs the query built over the source
   * that can answer its range (filling `p`), and turns the 64-bit counts into numbers.
   */
  private async aggregate<R>(
    filter: Parameters<typeof checkAnalyticsFilter>[0],
    rollup: Rollup,
    sql: (p: SqlParams, source: Source) => string,
  ): Promise<Array<R & { events: number; users: number }>> {
    checkAnalyticsFilter(filter);
    const p = new SqlParams();
    const rows = await this.connection.rows<R & CountRow>(sql(p, this.source(filter, rollup)), p);
    return rows.map((row) => ({ ...row, events: toNumber(row.events), users: toNumber(row.users) }));
  }

  /** The rollup when the range is made of its whole buckets (and rollups are read), else the events. */
  private source(range: AnalyticsRange, rollup: Rollup): Source {
    const width = rollup.bucket.widthMs;
    const aligned = range.from % width === 0 && range.to % width === 0 && range.from >= 0 && range.to <= DATETIME_MAX_MS;
    if (!this.readRollups || !aligned) {
      return {
        from: `${this.events} FINAL`,
        during: (p, r) => `event_time >= ${p.millis(r.from)} AND event_time < ${p.millis(r.to)}`,
        counts: 'count() AS events, uniqExact(user_id) AS users',
        bucketStart: (w) => `intDiv(toUnixTimestamp64Milli(event_time), ${w}) * ${w}`,
      };
    }
    const column = rollup.bucket.column;
    const at = column === 'day' ? (p: SqlParams, ms: number) => `toDate(${p.seconds(ms)})` : (p: SqlParams, ms: number) => p.seconds(ms);
    return {
      from: this.connection.table(rollup.table),
      during: (p, r) => `${column} >= ${at(p, r.from)} AND ${column} < ${at(p, r.to)}`,
      counts: 'sum(events) AS events, uniqExactMerge(users) AS users',
      bucketStart: (w) => `intDiv(toUnixTimestamp(${column}), ${w / 1000}) * ${w}`,
    };
  }

  /** Tenant, time range, the given equalities (undefined ones skipped) and an optional action filter. */
  private scope(
    p: SqlParams,
    tenantId: string,
    source: Source,
    range: AnalyticsRange,
    equal: Record<string, string | undefined>,
    actions?: readonly string[],
  ): string {
    const conditions = [`tenant_id = ${p.text(tenantId)}`, source.during(p, range)];
    for (const [column, value] of Object.entries(equal)) if (value !== undefined) conditions.push(`${column} = ${p.text(value)}`);
    const only = actionFilter(actions);
    if (only) conditions.push(`action_type IN ${p.texts(only)}`);
    return conditions.join(' AND ');
  }
}
