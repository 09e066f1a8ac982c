import Database from 'better-sqlite3';
import { DomainError } from '@lemo/domain';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { messageOf } from '../error-message';

export const IN_MEMORY = ':memory:';

/** File name of the outbox inside the configured directory. */
export const OUTBOX_FILE = 'event-outbox.db';

/** A message as it waits for Kafka: value and headers already serialised. */
export interface OutboxRecord {
  /** The physical Kafka topic (namespace included). */
  topic: string;
  key: string;
  /** JSON text. */
  value: string;
  /** JSON object of string headers. */
  headers: string;
  /** Epoch ms the message was accepted; becomes the Kafka record timestamp. */
  acceptedAt: number;
}

export interface StoredRecord extends OutboxRecord {
  id: number;
}

/** Payload size of a record as Kafka will see it (key, value, header text). */
export const recordBytes = (record: OutboxRecord): number =>
  Buffer.byteLength(record.value) + Buffer.byteLength(record.key) + Buffer.byteLength(record.headers);

interface PendingAppend {
  records: readonly OutboxRecord[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The durable buffer between `publish` and Kafka: an append-only SQLite table
 * read in id order. Commits are fsynced (WAL, synchronous=FULL), so a resolved
 * append survives a process or OS crash. Appends made in one event-loop turn
 * share one transaction (group commit): concurrent requests pay one fsync.
 *
 * One process owns a file: the connection holds an exclusive lock for its
 * lifetime, so a second relay can never drain (and reorder) the same rows.
 */
export class SqliteOutbox {
  private readonly insert: Database.Statement;
  private readonly peekStatement: Database.Statement;
  private readonly removeStatement: Database.Statement;
  private readonly oldestStatement: Database.Statement;
  private pending: PendingAppend[] = [];
  private commitScheduled = false;
  private rows: number;

  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {
    this.insert = db.prepare('INSERT INTO outbox (topic, msg_key, value, headers, accepted_at) VALUES (?, ?, ?, ?, ?)');
    this.peekStatement = db.prepare(
      'SELECT id, topic, msg_key AS key, value, headers, accepted_at AS acceptedAt FROM outbox ORDER BY id LIMIT ?',
    );
    this.removeStatement = db.prepare('DELETE FROM outbox WHERE id <= ?');
    this.oldestStatement = db.prepare('SELECT accepted_at AS acceptedAt FROM outbox ORDER BY id LIMIT 1');
    this.rows = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  }

  /** Opens `<dir>/event-outbox.db`, or a private in-memory outbox (tests only: it does not survive the process). */
  static open(dir: string): SqliteOutbox {
    const file = dir === IN_MEMORY ? IN_MEMORY : path.join(dir, OUTBOX_FILE);
    if (file !== IN_MEMORY) mkdirSync(dir, { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('busy_timeout = 1000');
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      // FULL: every commit fsyncs the WAL, so "accepted" means on disk, not in the page cache.
      db.pragma('synchronous = FULL');
      // Taking the write lock now makes a second owner fail at start, not at its first publish.
      db.exec(`BEGIN EXCLUSIVE;
        CREATE TABLE IF NOT EXISTS outbox (
          id INTEGER PRIMARY KEY,
          topic TEXT NOT NULL,
          msg_key TEXT NOT NULL,
          value TEXT NOT NULL,
          headers TEXT NOT NULL,
          accepted_at INTEGER NOT NULL
        );
        COMMIT;`);
      return new SqliteOutbox(db, file);
    } catch (error) {
      db.close();
      const locked = /database is locked|SQLITE_BUSY/i.test(messageOf(error));
      throw new DomainError('UNAVAILABLE', locked ? `event outbox ${file} is in use by another process` : `cannot open event outbox ${file}: ${messageOf(error)}`);
    }
  }

  /** Rows waiting for Kafka. */
  get depth(): number {
    return this.rows;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Age in ms of the oldest waiting row (0 when empty). */
  oldestAgeMs(now = Date.now()): number {
    if (this.rows === 0 || !this.db.open) return 0;
    const row = this.oldestStatement.get() as { acceptedAt: number } | undefined;
    return row ? Math.max(0, now - row.acceptedAt) : 0;
  }

  /** Resolves once the records are committed to disk, all or none. */
  append(records: readonly OutboxRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ records, resolve, reject });
      if (!this.commitScheduled) {
        this.commitScheduled = true;
        setImmediate(() => this.commitPending());
      }
    });
  }

  /** Writes every queued append now (also called before closing). */
  commitPending(): void {
    this.commitScheduled = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      const written = this.db.transaction(() => {
        let count = 0;
        for (const { records } of batch) {
          for (const r of records) this.insert.run(r.topic, r.key, r.value, r.headers, r.acceptedAt);
          count += records.length;
        }
        return count;
      })();
      this.rows += written;
      for (const append of batch) append.resolve();
    } catch (error) {
      const failure = new DomainError('UNAVAILABLE', `event outbox write failed: ${messageOf(error)}`);
      failure.cause = error;
      for (const append of batch) append.reject(failure);
    }
  }

  /** The oldest rows in acceptance order: at most `maxRows` and `maxBytes` of payload, but always at least one row. */
  peek(maxRows: number, maxBytes: number): StoredRecord[] {
    const rows = this.peekStatement.all(maxRows) as StoredRecord[];
    let bytes = 0;
    for (let i = 0; i < rows.length; i++) {
      bytes += recordBytes(rows[i]);
      if (bytes > maxBytes && i > 0) return rows.slice(0, i);
    }
    return rows;
  }

  /** Deletes every row up to and including `lastId` (called once Kafka acknowledged them). */
  removeThrough(lastId: number): void {
    this.rows -= this.removeStatement.run(lastId).changes;
  }

  close(): void {
    if (!this.db.open) return;
    this.commitPending();
    this.db.close();
  }
}
