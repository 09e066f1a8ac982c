import { DomainError } from '@lemo/domain';
import { expectDomainError } from '@lemo/domain/testing';
import { temporaryDataDir } from '../../testing/embedded-harness';
import { MIGRATIONS } from './migrations';
import { SqliteDatabase } from './sqlite-database';
import { guarded, toDomainError } from './sqlite-errors';

describe('SqliteDatabase', () => {
  const data = temporaryDataDir();
  afterAll(() => data.remove());

  it('opens <dataDir>/lemo.db in WAL mode with the whole schema', () => {
    const db = SqliteDatabase.open(data.dir);
    try {
      expect(db.file).toBe(`${data.dir}/lemo.db`);
      expect(db.handle.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.handle.pragma('synchronous', { simple: true })).toBe(1);
      expect(db.handle.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    } finally {
      db.close();
    }
  });

  it('migrates idempotently: reopening keeps the data and the version', () => {
    const first = SqliteDatabase.open(data.dir);
    first.statement('INSERT INTO users (tenant_id, user_id, body) VALUES (?, ?, ?)').run('acme', 'u1', '{}');
    first.close();
    const second = SqliteDatabase.open(data.dir);
    try {
      expect(second.statement('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 1 });
      expect(second.handle.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
    } finally {
      second.close();
    }
  });

  it('caches prepared statements by SQL text', () => {
    const db = SqliteDatabase.open(':memory:');
    expect(db.statement('SELECT 1')).toBe(db.statement('SELECT 1'));
    db.close();
    expect(db.isOpen).toBe(false);
    db.close();
  });

  it('rolls a write transaction back when its work throws', () => {
    const db = SqliteDatabase.open(':memory:');
    expect(() =>
      db.write(() => {
        db.statement('INSERT INTO users (tenant_id, user_id, body) VALUES (?, ?, ?)').run('acme', 'u1', '{}');
        throw new Error('half-way');
      }),
    ).toThrow('half-way');
    expect(db.statement('SELECT COUNT(*) AS n FROM users').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('driver errors become domain errors', () => {
  it('maps a UNIQUE violation to ALREADY_EXISTS naming the document', async () => {
    const db = SqliteDatabase.open(':memory:');
    const insert = () => db.statement("INSERT INTO tenants (tenant_id, created_at, body) VALUES ('acme', '', '{}')").run();
    insert();
    const error = await expectDomainError(() => guarded(insert, { entity: 'tenant', id: 'acme' }), 'ALREADY_EXISTS');
    expect(error.message).toBe("tenant 'acme' already exists");
    db.close();
  });

  it('maps a closed database to UNAVAILABLE', async () => {
    const db = SqliteDatabase.open(':memory:');
    db.close();
    await expectDomainError(() => guarded(() => db.handle.prepare('SELECT 1').get()), 'UNAVAILABLE');
  });

  it('maps a NOT NULL violation to CONFLICT and keeps the driver error as the cause', () => {
    const db = SqliteDatabase.open(':memory:');
    let caught: unknown;
    try {
      db.statement('INSERT INTO users (tenant_id, user_id, body) VALUES (?, ?, NULL)').run('acme', 'u1');
    } catch (error) {
      caught = error;
    }
    const mapped = toDomainError(caught);
    expect(mapped.code).toBe('CONFLICT');
    expect(mapped.cause).toBe(caught);
    db.close();
  });

  it('passes domain errors through and turns anything else into INTERNAL', () => {
    const original = DomainError.notFound('item', 'i1');
    expect(toDomainError(original)).toBe(original);
    expect(toDomainError(new Error('boom'))).toMatchObject({ code: 'INTERNAL', message: 'boom' });
  });
});
