import { DomainError, offsetOf, TenantDocumentRepository, type Page, type PageRequest } from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { guarded } from '../sqlite/sqlite-errors';
import { parseBodies, parseBody, type BodyRow } from './json-body';

/**
 * Where one tenant-owned collection lives. Column names come from this code,
 * never from input, so building SQL from them is safe. Filter fields have the
 * same name in the document and in the table.
 */
export interface DocumentTable<F extends object> {
  table: string;
  /** Singular noun for error messages. */
  entity: string;
  idColumn: string;
  filterColumns: ReadonlyArray<keyof F & string>;
}

/** The shared SQLite implementation of TenantDocumentRepository (scenarios, experiments, models, datasets). */
export class SqliteDocumentRepository<T extends { tenant_id: string; created_at: string }, F extends object> extends TenantDocumentRepository<T, F> {
  private readonly insertSql: string;
  private readonly updateSql: string;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly spec: DocumentTable<F>,
  ) {
    super();
    const { table, idColumn, filterColumns } = spec;
    const columns = ['tenant_id', idColumn, ...filterColumns, 'created_at', 'body'];
    this.insertSql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`;
    const assignments = [...filterColumns, 'created_at', 'body'].map((column) => `${column} = ?`).join(', ');
    this.updateSql = `UPDATE ${table} SET ${assignments} WHERE tenant_id = ? AND ${idColumn} = ?`;
  }

  create(doc: T): Promise<void> {
    return guarded(
      () => {
        this.db.statement(this.insertSql).run(doc.tenant_id, this.idOf(doc), ...this.filterValues(doc), doc.created_at, JSON.stringify(doc));
      },
      { entity: this.spec.entity, id: this.idOf(doc) },
    );
  }

  get(tenantId: string, id: string): Promise<T | null> {
    return guarded(() => {
      return parseBody<T>(
        this.db.statement(`SELECT body FROM ${this.spec.table} WHERE tenant_id = ? AND ${this.spec.idColumn} = ?`).get(tenantId, id) as BodyRow | undefined,
      );
    });
  }

  list(tenantId: string, filter: Partial<F>, page: PageRequest): Promise<Page<T>> {
    return guarded(() => {
      const active = this.spec.filterColumns.filter((column) => filter[column] !== undefined);
      const where = ['tenant_id = ?', ...active.map((column) => `${column} = ?`)].join(' AND ');
      const params = [tenantId, ...active.map((column) => filter[column] as unknown)];
      const { total } = this.db.statement(`SELECT COUNT(*) AS total FROM ${this.spec.table} WHERE ${where}`).get(...params) as { total: number };
      // rowid breaks ties between documents created in the same millisecond: later insert first.
      const rows = this.db
        .statement(`SELECT body FROM ${this.spec.table} WHERE ${where} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`)
        .all(...params, page.pageSize, offsetOf(page)) as BodyRow[];
      return { items: parseBodies<T>(rows), total, page: page.page, pageSize: page.pageSize };
    });
  }

  update(doc: T): Promise<void> {
    return guarded(() => {
      const { changes } = this.db.statement(this.updateSql).run(...this.filterValues(doc), doc.created_at, JSON.stringify(doc), doc.tenant_id, this.idOf(doc));
      if (changes === 0) throw DomainError.notFound(this.spec.entity, this.idOf(doc));
    });
  }

  delete(tenantId: string, id: string): Promise<boolean> {
    return guarded(() => this.db.statement(`DELETE FROM ${this.spec.table} WHERE tenant_id = ? AND ${this.spec.idColumn} = ?`).run(tenantId, id).changes > 0);
  }

  private idOf(doc: T): string {
    return String((doc as Record<string, unknown>)[this.spec.idColumn]);
  }

  private filterValues(doc: T): unknown[] {
    return this.spec.filterColumns.map((column) => (doc as Record<string, unknown>)[column] ?? null);
  }
}
