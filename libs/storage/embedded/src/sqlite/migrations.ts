import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Schema history; never edit an applied migration, append a new one.
 * Every table is keyed by tenant first (or by a name that embeds the tenant:
 * bus topics, job data), so one tenant's rows are one index range.
 * Documents are JSON in `body`; fields that lists filter or sort on are copied
 * into real columns with indexes.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'documents',
    sql: `
      CREATE TABLE IF NOT EXISTS tenants (
        tenant_id TEXT PRIMARY KEY, created_at TEXT NOT NULL, body TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS tenants_by_created ON tenants (created_at DESC);

      CREATE TABLE IF NOT EXISTS api_keys (
        tenant_id TEXT NOT NULL, key_id TEXT NOT NULL, key_hash TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, key_id));

      CREATE TABLE IF NOT EXISTS scenarios (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, scenario_type TEXT NOT NULL, status TEXT NOT NULL,
        created_at TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, scenario_id));
      CREATE INDEX IF NOT EXISTS scenarios_by_created ON scenarios (tenant_id, created_at DESC);

      CREATE TABLE IF NOT EXISTS experiments (
        tenant_id TEXT NOT NULL, experiment_id TEXT NOT NULL, scenario_id TEXT NOT NULL, status TEXT NOT NULL,
        created_at TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, experiment_id));
      CREATE INDEX IF NOT EXISTS experiments_by_created ON experiments (tenant_id, created_at DESC);

      CREATE TABLE IF NOT EXISTS models (
        tenant_id TEXT NOT NULL, model_id TEXT NOT NULL, model_type TEXT NOT NULL, status TEXT NOT NULL, scenario_id TEXT,
        created_at TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, model_id));
      CREATE INDEX IF NOT EXISTS models_by_created ON models (tenant_id, created_at DESC);

      CREATE TABLE IF NOT EXISTS datasets (
        tenant_id TEXT NOT NULL, dataset_id TEXT NOT NULL, format TEXT NOT NULL,
        created_at TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, dataset_id));
      CREATE INDEX IF NOT EXISTS datasets_by_created ON datasets (tenant_id, created_at DESC);

      -- owner is the tenant id, or '' for system templates (tenant ids are never empty).
      CREATE TABLE IF NOT EXISTS templates (
        owner TEXT NOT NULL, template_id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (owner, template_id)) WITHOUT ROWID;

      CREATE TABLE IF NOT EXISTS users (
        tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, user_id));

      CREATE TABLE IF NOT EXISTS tracking_schemas (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, scenario_id)) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'items',
    sql: `
      CREATE TABLE IF NOT EXISTS items (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, item_id TEXT NOT NULL,
        status TEXT NOT NULL, category TEXT, published_at INTEGER NOT NULL, created_at TEXT NOT NULL,
        search_text TEXT NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, scenario_id, item_id));
      CREATE INDEX IF NOT EXISTS items_by_created ON items (tenant_id, scenario_id, created_at DESC);
      CREATE INDEX IF NOT EXISTS items_by_status ON items (tenant_id, scenario_id, status, category);
      CREATE INDEX IF NOT EXISTS items_by_published ON items (tenant_id, scenario_id, status, published_at DESC);

      -- Trigram tokens give case-insensitive substring matching that also works for CJK text,
      -- which the unicode61 tokenizer would keep as one long token.
      CREATE VIRTUAL TABLE IF NOT EXISTS items_fts USING fts5(
        search_text, content='items', content_rowid='rowid', tokenize='trigram');
      CREATE TRIGGER IF NOT EXISTS items_fts_insert AFTER INSERT ON items BEGIN
        INSERT INTO items_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
      CREATE TRIGGER IF NOT EXISTS items_fts_delete AFTER DELETE ON items BEGIN
        INSERT INTO items_fts (items_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      END;
      CREATE TRIGGER IF NOT EXISTS items_fts_update AFTER UPDATE OF search_text ON items BEGIN
        INSERT INTO items_fts (items_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO items_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
      END;
    `,
  },
  {
    version: 3,
    name: 'events',
    sql: `
      CREATE TABLE IF NOT EXISTS events (
        tenant_id TEXT NOT NULL, event_id TEXT NOT NULL, scenario_id TEXT NOT NULL, user_id TEXT NOT NULL,
        timestamp INTEGER NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, event_id));
      CREATE INDEX IF NOT EXISTS events_by_user ON events (tenant_id, user_id, timestamp DESC);
      CREATE INDEX IF NOT EXISTS events_by_scenario ON events (tenant_id, scenario_id, timestamp, event_id);

      -- next_offset lives here, not in MAX(msg_offset): retention may empty a topic's log.
      CREATE TABLE IF NOT EXISTS bus_topics (
        topic TEXT PRIMARY KEY, next_offset INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS bus_messages (
        topic TEXT NOT NULL, msg_offset INTEGER NOT NULL, msg_key TEXT NOT NULL,
        value TEXT NOT NULL, headers TEXT NOT NULL, published_at INTEGER NOT NULL,
        PRIMARY KEY (topic, msg_offset));
      CREATE INDEX IF NOT EXISTS bus_messages_by_age ON bus_messages (published_at);
      CREATE TABLE IF NOT EXISTS bus_offsets (
        group_id TEXT NOT NULL, topic TEXT NOT NULL, next_offset INTEGER NOT NULL,
        PRIMARY KEY (group_id, topic)) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    name: 'jobs',
    sql: `
      CREATE TABLE IF NOT EXISTS jobs (
        queue TEXT NOT NULL, job_id TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL,
        status TEXT NOT NULL, progress REAL NOT NULL DEFAULT 0, stage TEXT NOT NULL DEFAULT '',
        attempts_made INTEGER NOT NULL DEFAULT 0, max_attempts INTEGER NOT NULL, backoff_ms INTEGER NOT NULL,
        run_at INTEGER NOT NULL, result TEXT, failed_reason TEXT, cancel_requested INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,
        owner TEXT, lease_until INTEGER,
        PRIMARY KEY (queue, job_id));
      CREATE INDEX IF NOT EXISTS jobs_due ON jobs (queue, status, run_at);
      CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs (queue, created_at DESC);

      CREATE TABLE IF NOT EXISTS schedule_ticks (
        name TEXT NOT NULL, tick_at INTEGER NOT NULL, claimed_at INTEGER NOT NULL,
        PRIMARY KEY (name, tick_at)) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    name: 'features',
    sql: `
      -- Hot scores are stored as their value at ref_time (see hot-score-math), so ranking needs no decay.
      CREATE TABLE IF NOT EXISTS hot_refs (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, ref_time INTEGER NOT NULL, half_life_ms REAL NOT NULL,
        PRIMARY KEY (tenant_id, scenario_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS hot_scores (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, item_id TEXT NOT NULL, score_ref REAL NOT NULL,
        PRIMARY KEY (tenant_id, scenario_id, item_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS hot_scores_by_rank ON hot_scores (tenant_id, scenario_id, score_ref DESC);

      CREATE TABLE IF NOT EXISTS recent_interactions (
        tenant_id TEXT NOT NULL, user_id TEXT NOT NULL, item_id TEXT NOT NULL, scenario_id TEXT NOT NULL,
        action_type TEXT NOT NULL, timestamp INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS recent_by_user ON recent_interactions (tenant_id, user_id, timestamp DESC);

      CREATE TABLE IF NOT EXISTS item_neighbours (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, item_id TEXT NOT NULL, neighbours TEXT NOT NULL,
        PRIMARY KEY (tenant_id, scenario_id, item_id)) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'vectors',
    sql: `
      -- version counts writes; flushed_version is the version the index file on disk reflects.
      CREATE TABLE IF NOT EXISTS vector_namespaces (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, dimension INTEGER NOT NULL, next_label INTEGER NOT NULL DEFAULT 0,
        version INTEGER NOT NULL DEFAULT 0, flushed_version INTEGER NOT NULL DEFAULT -1,
        PRIMARY KEY (tenant_id, scenario_id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS vectors (
        tenant_id TEXT NOT NULL, scenario_id TEXT NOT NULL, item_id TEXT NOT NULL,
        label INTEGER NOT NULL, vector BLOB NOT NULL,
        PRIMARY KEY (tenant_id, scenario_id, item_id));
    `,
  },
  {
    version: 7,
    name: 'analytics',
    sql: `
      -- The AnalyticsStore's events: only the columns its aggregates read. The primary key makes
      -- re-inserting an event a no-op; the indexes serve the time-range scans per tenant, scenario,
      -- experiment, and the GDPR delete per user.
      CREATE TABLE IF NOT EXISTS analytics_behaviors (
        tenant_id TEXT NOT NULL, event_id TEXT NOT NULL, scenario_id TEXT NOT NULL, user_id TEXT NOT NULL,
        item_id TEXT NOT NULL, action_type TEXT NOT NULL, timestamp INTEGER NOT NULL,
        experiment_id TEXT NOT NULL DEFAULT '', experiment_group TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (tenant_id, event_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS analytics_by_time ON analytics_behaviors (tenant_id, timestamp);
      CREATE INDEX IF NOT EXISTS analytics_by_scenario_time ON analytics_behaviors (tenant_id, scenario_id, timestamp);
      CREATE INDEX IF NOT EXISTS analytics_by_experiment_time ON analytics_behaviors (tenant_id, experiment_id, timestamp) WHERE experiment_id <> '';
      CREATE INDEX IF NOT EXISTS analytics_by_user ON analytics_behaviors (tenant_id, user_id);
    `,
  },
  {
    version: 8,
    name: 'model artifacts',
    sql: `
      CREATE TABLE IF NOT EXISTS model_artifacts (
        tenant_id TEXT NOT NULL, key TEXT NOT NULL, bytes BLOB NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (tenant_id, key)) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'experiment assignments and analytics covering indexes',
    sql: `
      -- Users serving assigned to an experiment, once per (tenant, experiment, user): the earliest assignment is kept.
      CREATE TABLE IF NOT EXISTS experiment_assignments (
        tenant_id TEXT NOT NULL, experiment_id TEXT NOT NULL, user_id TEXT NOT NULL,
        variant_id TEXT NOT NULL, assigned_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, experiment_id, user_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS assignments_by_variant ON experiment_assignments (tenant_id, experiment_id, variant_id, user_id);
      CREATE INDEX IF NOT EXISTS assignments_by_user ON experiment_assignments (tenant_id, user_id);
      -- Experiment results read every column they group and count from the index, never the table's rows.
      DROP INDEX IF EXISTS analytics_by_experiment_time;
      CREATE INDEX IF NOT EXISTS analytics_experiment_covering ON analytics_behaviors (tenant_id, experiment_id, timestamp, experiment_group, action_type, user_id)
        WHERE experiment_id <> '';
    `,
  },
  {
    version: 10,
    name: 'real-time counters',
    sql: `
      -- Time-bucketed counters of the stream jobs; an event id counts once per (tenant, series, bucket).
      CREATE TABLE IF NOT EXISTS realtime_counts (
        tenant_id TEXT NOT NULL, series TEXT NOT NULL, bucket INTEGER NOT NULL, field TEXT NOT NULL,
        count INTEGER NOT NULL, expires_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, series, bucket, field)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS realtime_counted_events (
        tenant_id TEXT NOT NULL, series TEXT NOT NULL, bucket INTEGER NOT NULL, event_id TEXT NOT NULL, expires_at INTEGER NOT NULL,
        PRIMARY KEY (tenant_id, series, bucket, event_id)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS realtime_counts_expiry ON realtime_counts (expires_at);
      CREATE INDEX IF NOT EXISTS realtime_counted_events_expiry ON realtime_counted_events (expires_at);
    `,
  },
  {
    version: 11,
    name: 'ingestion reports',
    sql: `
      -- Throughput reports of the ingestion paths, one per (tenant, source, instance, window); read newest
      -- window first per tenant, removed once expires_at (window end + retention) has passed.
      CREATE TABLE IF NOT EXISTS ingestion_reports (
        tenant_id TEXT NOT NULL, source TEXT NOT NULL, instance TEXT NOT NULL, window_start INTEGER NOT NULL,
        window_end INTEGER NOT NULL, expires_at INTEGER NOT NULL, body TEXT NOT NULL,
        PRIMARY KEY (tenant_id, source, instance, window_start)) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS ingestion_reports_by_window_end ON ingestion_reports (tenant_id, window_end DESC);
      CREATE INDEX IF NOT EXISTS ingestion_reports_expiry ON ingestion_reports (expires_at);
    `,
  },
];

/** Applies pending migrations in one write transaction, so two processes starting together cannot both apply one. */
export function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  apply.immediate();
}
