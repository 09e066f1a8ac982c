import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { MIGRATIONS, migrate } from './migrations';

export const IN_MEMORY = ':memory:';

/** File name of the database inside the data directory. */
export const DATABASE_FILE = 'lemo.db';

/**
 * One better-sqlite3 connection with the project's pragmas, the schema
 * migrated, and a cache of prepared statements (preparing is the expensive
 * part of a small query).
 */
export class SqliteDatabase {
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(
    readonly handle: Database.Database,
    readonly file: string,
  ) {}

  /** Opens `<dataDir>/lemo.db`, or a private in-memory database when dataDir is ':memory:'. */
  static open(dataDir: string): SqliteDatabase {
    const file = dataDir === IN_MEMORY ? IN_MEMORY : path.join(dataDir, DATABASE_FILE);
    if (file !== IN_MEMORY) mkdirSync(dataDir, { recursive: true });
    const handle = new Database(file);
    // WAL lets readers run beside the writer; NORMAL is durable across process crashes
    // (only an OS crash may drop the last commits), which is the embedded profile's promise.
    handle.pragma('journal_mode = WAL');
    handle.pragma('synchronous = NORMAL');
    // Several connections (scheduler replicas, a second process) may share the file.
    handle.pragma('busy_timeout = 5000');
    migrate(handle, MIGRATIONS);
    return new SqliteDatabase(handle, file);
  }

  get isOpen(): boolean {
    return this.handle.open;
  }

  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.handle.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in a write transaction taken up front, so concurrent writers wait instead of deadlocking. */
  write<T>(work: () => T): T {
    return this.handle.transaction(work).immediate();
  }

  close(): void {
    if (!this.handle.open) return;
    this.statements.clear();
    this.handle.close();
  }
}
