import { DomainError, FeatureStore, type FeatureNamespace, type HotScoreIncrement, type RecentInteraction, type ScoredId } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { decayFactor, HOUR_MS, needsRebase, NEGLIGIBLE_SCORE } from './hot-score-math';

interface HotRef {
  ref_time: number;
  half_life_ms: number;
}

const NAMESPACE = 'tenant_id = ? AND scenario_id = ?';

/**
 * Real-time features in SQLite. Every read on the serving path is one indexed
 * query (top-k by score_ref, or a json_each lookup), so no in-memory mirror is
 * needed; see hot-score-math for why hot scores need no per-read decay.
 */
export class SqliteFeatureStore extends FeatureStore {
  constructor(private readonly db: SqliteDatabase) {
    super();
  }

  addHotScores(increments: readonly HotScoreIncrement[], halfLifeHours: number): Promise<void> {
    if (!(halfLifeHours > 0)) return Promise.reject(DomainError.invalid('halfLifeHours', 'must be positive'));
    const halfLifeMs = halfLifeHours * HOUR_MS;
    const byNamespace = new Map<string, HotScoreIncrement[]>();
    for (const increment of increments) {
      const key = JSON.stringify([increment.tenantId, increment.scenarioId]);
      const group = byNamespace.get(key);
      if (group) group.push(increment);
      else byNamespace.set(key, [increment]);
    }
    return guarded(() =>
      this.db.write(() => {
        for (const group of byNamespace.values()) this.addToNamespace(group, halfLifeMs);
      }),
    );
  }

  /** Items with a positive current score, best first. */
  topHot(tenantId: string, scenarioId: string, limit: number, now: number): Promise<ScoredId[]> {
    return guarded(() => {
      const ref = this.ref(tenantId, scenarioId);
      if (!ref) return [];
      const factor = decayFactor(ref.ref_time, now, ref.half_life_ms);
      const rows = this.db
        .statement(`SELECT item_id, score_ref FROM hot_scores WHERE ${NAMESPACE} AND score_ref > 0 ORDER BY score_ref DESC LIMIT ?`)
        .all(tenantId, scenarioId, limit) as Array<{ item_id: string; score_ref: number }>;
      return rows.map((row) => ({ item_id: row.item_id, score: row.score_ref * factor }));
    });
  }

  hotScores(tenantId: string, scenarioId: string, itemIds: readonly string[], now: number): Promise<Map<string, number>> {
    return guarded(() => {
      const scores = new Map<string, number>(itemIds.map((id) => [id, 0]));
      const ref = this.ref(tenantId, scenarioId);
      if (!ref || itemIds.length === 0) return scores;
      const factor = decayFactor(ref.ref_time, now, ref.half_life_ms);
      const rows = this.db
        .statement(`SELECT item_id, score_ref FROM hot_scores WHERE ${NAMESPACE} AND item_id IN (SELECT value FROM json_each(?))`)
        .all(tenantId, scenarioId, JSON.stringify(itemIds)) as Array<{ item_id: string; score_ref: number }>;
      for (const row of rows) scores.set(row.item_id, row.score_ref * factor);
      return scores;
    });
  }

  removeItems(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<void> {
    return guarded(() => {
      this.db
        .statement(`DELETE FROM hot_scores WHERE ${NAMESPACE} AND item_id IN (SELECT value FROM json_each(?))`)
        .run(tenantId, scenarioId, JSON.stringify(itemIds));
    });
  }

  pushRecent(tenantId: string, userId: string, interactions: readonly RecentInteraction[], keep: number): Promise<void> {
    return guarded(() =>
      this.db.write(() => {
        // The same interaction delivered twice (a redelivered stream batch, a retried write) is stored once.
        const insert = this.db.statement(
          `INSERT INTO recent_interactions (tenant_id, user_id, item_id, scenario_id, action_type, timestamp)
           SELECT @tenant, @user, @item_id, @scenario_id, @action_type, @timestamp WHERE NOT EXISTS (SELECT 1 FROM recent_interactions
             WHERE tenant_id = @tenant AND user_id = @user AND timestamp = @timestamp AND item_id = @item_id AND scenario_id = @scenario_id AND action_type = @action_type)`,
        );
        for (const { item_id, scenario_id, action_type, timestamp } of interactions) insert.run({ tenant: tenantId, user: userId, item_id, scenario_id, action_type, timestamp });
        this.db
          .statement(
            `DELETE FROM recent_interactions WHERE tenant_id = ? AND user_id = ? AND rowid NOT IN (
               SELECT rowid FROM recent_interactions WHERE tenant_id = ? AND user_id = ? ORDER BY timestamp DESC, rowid DESC LIMIT ?)`,
          )
          .run(tenantId, userId, tenantId, userId, Math.max(0, keep));
      }),
    );
  }

  recent(tenantId: string, userId: string, limit: number): Promise<RecentInteraction[]> {
    return guarded(
      () =>
        this.db
          .statement(
            'SELECT item_id, scenario_id, action_type, timestamp FROM recent_interactions WHERE tenant_id = ? AND user_id = ? ORDER BY timestamp DESC, rowid DESC LIMIT ?',
          )
          .all(tenantId, userId, limit) as RecentInteraction[],
    );
  }

  deleteUser(tenantId: string, userId: string): Promise<void> {
    return guarded(() => {
      this.db.statement('DELETE FROM recent_interactions WHERE tenant_id = ? AND user_id = ?').run(tenantId, userId);
    });
  }

  setNeighbours(tenantId: string, scenarioId: string, itemId: string, neighbours: readonly ScoredId[]): Promise<void> {
    return guarded(() => {
      this.db
        .statement(
          'INSERT INTO item_neighbours (tenant_id, scenario_id, item_id, neighbours) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, scenario_id, item_id) DO UPDATE SET neighbours = excluded.neighbours',
        )
        .run(tenantId, scenarioId, itemId, JSON.stringify(neighbours.map(({ item_id, score }) => ({ item_id, score }))));
    });
  }

  /** Items without a list are absent from the map. */
  neighbours(tenantId: string, scenarioId: string, itemIds: readonly string[]): Promise<Map<string, ScoredId[]>> {
    return guarded(() => {
      const rows = this.db
        .statement(`SELECT item_id, neighbours FROM item_neighbours WHERE ${NAMESPACE} AND item_id IN (SELECT value FROM json_each(?))`)
        .all(tenantId, scenarioId, JSON.stringify(itemIds)) as Array<{ item_id: string; neighbours: string }>;
      return new Map(rows.map((row) => [row.item_id, JSON.parse(row.neighbours) as ScoredId[]]));
    });
  }

  scenarioNamespaces(): Promise<FeatureNamespace[]> {
    return guarded(
      () =>
        this.db
          .statement(
            'SELECT tenant_id, scenario_id FROM hot_refs UNION SELECT DISTINCT tenant_id, scenario_id FROM hot_scores UNION SELECT DISTINCT tenant_id, scenario_id FROM item_neighbours',
          )
          .all() as FeatureNamespace[],
    );
  }

  deleteScenario(tenantId: string, scenarioId: string): Promise<number> {
    return guarded(() =>
      this.db.write(() => {
        let removed = 0;
        for (const table of ['hot_scores', 'hot_refs', 'item_neighbours']) removed += this.db.statement(`DELETE FROM ${table} WHERE ${NAMESPACE}`).run(tenantId, scenarioId).changes;
        return removed;
      }),
    );
  }

  trimHotScores(tenantId: string, scenarioId: string, maxItems: number): Promise<number> {
    return guarded(
      () =>
        this.db
          .statement(
            `DELETE FROM hot_scores WHERE ${NAMESPACE} AND item_id NOT IN (SELECT item_id FROM hot_scores WHERE ${NAMESPACE} ORDER BY score_ref DESC, item_id LIMIT ?)`,
          )
          .run(tenantId, scenarioId, tenantId, scenarioId, Math.max(0, Math.floor(maxItems))).changes,
    );
  }

  private ref(tenantId: string, scenarioId: string): HotRef | undefined {
    return this.db.statement(`SELECT ref_time, half_life_ms FROM hot_refs WHERE ${NAMESPACE}`).get(tenantId, scenarioId) as HotRef | undefined;
  }

  /** Runs inside the caller's transaction. A changed half-life applies from the reference time on. */
  private addToNamespace(increments: readonly HotScoreIncrement[], halfLifeMs: number): void {
    const { tenantId, scenarioId } = increments[0];
    const latest = increments.reduce((max, increment) => Math.max(max, increment.at), Number.NEGATIVE_INFINITY);
    let refTime = this.ref(tenantId, scenarioId)?.ref_time ?? latest;
    if (needsRebase(refTime, latest, halfLifeMs)) {
      this.db
        .statement(`UPDATE hot_scores SET score_ref = score_ref * ? WHERE ${NAMESPACE}`)
        .run(decayFactor(refTime, latest, halfLifeMs), tenantId, scenarioId);
      this.db.statement(`DELETE FROM hot_scores WHERE ${NAMESPACE} AND abs(score_ref) < ?`).run(tenantId, scenarioId, NEGLIGIBLE_SCORE);
      refTime = latest;
    }
    this.db
      .statement(
        'INSERT INTO hot_refs (tenant_id, scenario_id, ref_time, half_life_ms) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, scenario_id) DO UPDATE SET ref_time = excluded.ref_time, half_life_ms = excluded.half_life_ms',
      )
      .run(tenantId, scenarioId, refTime, halfLifeMs);
    const add = this.db.statement(
      'INSERT INTO hot_scores (tenant_id, scenario_id, item_id, score_ref) VALUES (?, ?, ?, ?) ON CONFLICT (tenant_id, scenario_id, item_id) DO UPDATE SET score_ref = score_ref + excluded.score_ref',
    );
    for (const increment of increments) add.run(tenantId, scenarioId, increment.itemId, increment.weight / decayFactor(refTime, increment.at, halfLifeMs));
  }
}
