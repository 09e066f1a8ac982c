import { offsetOf, type Page, type PageRequest } from '@lemo/domain';
import { Schema, type Connection, type IndexDefinition, type IndexOptions, type Model, type mongo } from 'mongoose';
import { duplicateIndexes, guarded, isDuplicateKeyOnly, retryingDuplicateUpsert, toDomainError, type ErrorSubject } from './mongo-errors';
import { fromStored, toStored, type StoredDocument } from './stored-document';

export type StoredFilter = mongo.Filter<mongo.Document>;
export type StoredSort = Record<string, 1 | -1>;

/** Matches the document stored under `id`. (The driver types a filter's `_id` as an ObjectId; keyed documents have string ones.) */
export const byId = (id: unknown): StoredFilter => ({ _id: id }) as StoredFilter;

/**
 * Documents per update command of replaceManyById. FerretDB v1.24 (SQLite)
 * keeps one pooled SQLite connection busy for every document an update
 * command replaced, until the command ends, and pools 100 per database: a
 * command replacing 100 existing documents then waits for a connection
 * forever, and the database stays wedged for every client (measured on the
 * dev stack: 99 returned in 0.45 s, 100 never). Commands of 10 keep writers
 * far from that, for 10-20 % more time than commands of 50 there (each
 * replacement is its own SQLite transaction, ~6 ms) and a few more round
 * trips on MongoDB.
 */
const REPLACE_CHUNK = 10;

/** Newest first; `_id` (an ObjectId, increasing per writer, or an item's key) breaks ties so that pages never overlap. */
export const NEWEST_FIRST: StoredSort = { created_at: -1, _id: -1 };

export interface CollectionSpec {
  name: string;
  /** Singular noun for error messages. */
  entity: string;
  /** Tenant first in every index; created (idempotently) when the storage opens (MongoStorage.ensureIndexes). */
  indexes: ReadonlyArray<readonly [IndexDefinition, IndexOptions?]>;
  /**
   * Query helpers stored beside the document's own fields (search text, publish
   * time…). Their names start with '_', which no domain field does; they are
   * never read back.
   */
  derivedFields?: readonly string[];
}

/**
 * One collection of domain documents: every read and write maps the document
 * to and from its stored form (see stored-document) and every failure to a
 * DomainError. Documents are read without `_id` and derived fields, so they
 * round-trip exactly.
 *
 * The mongoose schema declares indexes only: the domain types are the schema,
 * validated at the trust boundaries. Mongoose provides the dedicated
 * connection, the models and their indexes; reads and writes go through each
 * model's native collection so that documents are neither cast nor hydrated
 * nor reshaped (a hydrated replacement would carry a fresh `_id`, minimising
 * would drop empty objects), and filters are plain driver filters.
 */
export class StoredCollection<T extends object> {
  private readonly model: Model<StoredDocument>;
  private readonly projection: Record<string, 0>;

  constructor(
    connection: Connection,
    readonly spec: CollectionSpec,
    private readonly derive: (doc: T) => StoredDocument = () => ({}),
  ) {
    const schema = new Schema<StoredDocument>({}, { collection: spec.name, strict: false, versionKey: false, autoIndex: false, autoCreate: false });
    for (const [fields, options] of spec.indexes) schema.index(fields, options);
    this.model = connection.model<StoredDocument>(spec.name, schema, spec.name);
    this.projection = Object.fromEntries(['_id', ...(spec.derivedFields ?? [])].map((field) => [field, 0 as const]));
  }

  /** The stored form of a document: its own fields plus the derived ones. */
  stored(doc: T): StoredDocument {
    return { ...toStored(doc), ...this.derive(doc) };
  }

  private read(stored: StoredDocument): T {
    return fromStored<T>(stored);
  }

  /** Throws ALREADY_EXISTS (naming `id`) when a unique index already holds the document's key. */
  insertOne(doc: T, id: string): Promise<void> {
    return guarded(async () => {
      await this.model.collection.insertOne(this.stored(doc));
    }, this.subject(id));
  }

  /**
   * One unordered insert of every document. Those a unique index refuses (stored
   * before, or repeated in the batch) are skipped and their positions returned;
   * any other failure throws.
   */
  async insertManySkippingDuplicates(docs: readonly T[]): Promise<Set<number>> {
    if (docs.length === 0) return new Set();
    try {
      await this.model.collection.insertMany(
        docs.map((doc) => this.stored(doc)),
        { ordered: false },
      );
      return new Set();
    } catch (error) {
      return duplicateIndexes(error);
    }
  }

  findOne(filter: StoredFilter, sort?: StoredSort): Promise<T | null> {
    return guarded(async () => {
      const stored = await this.model.collection.findOne(filter, { projection: this.projection, ...(sort && { sort }) });
      return stored ? this.read(stored) : null;
    });
  }

  /** `limit` must be positive when given: MongoDB reads limit 0 as "no limit". */
  find(filter: StoredFilter, options: { sort?: StoredSort; limit?: number; skip?: number } = {}): Promise<T[]> {
    return guarded(async () => {
      const stored = await this.model.collection.find(filter, { projection: this.projection, ...options }).toArray();
      return stored.map((doc) => this.read(doc));
    });
  }

  /** Visits each matching document projected to `paths` (dotted, plain keys), streamed: memory stays flat whatever the count. */
  async forEachProjected(filter: StoredFilter, paths: readonly string[], visit: (doc: Partial<T>) => void): Promise<void> {
    await guarded(async () => {
      const projection = Object.fromEntries([['_id', 0], ...paths.map((path) => [path, 1])]);
      for await (const stored of this.model.collection.find(filter, { projection })) visit(this.read(stored) as Partial<T>);
    });
  }

  /** Like find, with each document's `_id` (an ObjectId unless the caller stored its own), for keyset cursors. */
  findWithIds(filter: StoredFilter, options: { sort?: StoredSort; limit?: number } = {}): Promise<Array<{ _id: unknown; doc: T }>> {
    return guarded(async () => {
      // `_id` is returned unless excluded; an exclusion projection may not name it with 1.
      const projection = Object.fromEntries((this.spec.derivedFields ?? []).map((field) => [field, 0 as const]));
      const stored = await this.model.collection.find(filter, { projection, ...options }).toArray();
      return stored.map(({ _id, ...doc }) => ({ _id, doc: this.read(doc) }));
    });
  }

  page(filter: StoredFilter, sort: StoredSort, request: PageRequest): Promise<Page<T>> {
    return guarded(async () => {
      const [total, items] = await Promise.all([this.count(filter), this.find(filter, { sort, limit: request.pageSize, skip: offsetOf(request) })]);
      return { items, total, page: request.page, pageSize: request.pageSize };
    });
  }

  /** Replaces the matching document; false when there was none. */
  async replaceOne(filter: StoredFilter, doc: T): Promise<boolean> {
    const result = await guarded(() => this.model.collection.replaceOne(filter, this.stored(doc)));
    return result.matchedCount > 0;
  }

  /** Creates or replaces the document matching `filter`. */
  async upsertOne(filter: StoredFilter, doc: T): Promise<void> {
    await retryingDuplicateUpsert(() => this.model.collection.replaceOne(filter, this.stored(doc), { upsert: true }));
  }

  /**
   * Creates or replaces each document under the `_id` given with it, in
   * unordered bulk writes of REPLACE_CHUNK documents, one after the other;
   * atomic per document (no transactions: FerretDB has none). Filtering by
   * `_id` alone matters on FerretDB's SQLite backend: it is the only filter
   * pushed down to SQLite, any other one reads the whole collection. The
   * `_id`s must be distinct.
   *
   * Returns false when a unique index refused a document (another one holds
   * its key under another `_id`, or a concurrent writer inserted the same `_id`
   * first); the others may or may not have been written (FerretDB stops at
   * the first failure, MongoDB does not), so the caller writes them all again.
   * Throws on any other failure.
   */
  async replaceManyById(entries: ReadonlyArray<{ _id: unknown; doc: T }>): Promise<boolean> {
    for (let start = 0; start < entries.length; start += REPLACE_CHUNK) {
      const operations = entries
        .slice(start, start + REPLACE_CHUNK)
        .map(({ _id, doc }) => ({ replaceOne: { filter: byId(_id), replacement: this.stored(doc), upsert: true } }));
      try {
        await this.model.collection.bulkWrite(operations, { ordered: false });
      } catch (error) {
        if (isDuplicateKeyOnly(error)) return false;
        throw toDomainError(error);
      }
    }
    return true;
  }

  /** The `_id` and the top-level `fields` (as stored) of each matching document. */
  findIds(filter: StoredFilter, fields: readonly string[]): Promise<Array<{ _id: unknown } & StoredDocument>> {
    return guarded(async () => {
      const projection = Object.fromEntries([['_id', 1], ...fields.map((field) => [field, 1])]);
      return this.model.collection.find(filter, { projection }).toArray();
    });
  }

  /** Sets top-level fields of the matching document (none a derived field depends on); false when there was none. */
  async updateOne(filter: StoredFilter, fields: Partial<T>): Promise<boolean> {
    const result = await guarded(() => this.model.collection.updateOne(filter, { $set: toStored(fields) }));
    return result.matchedCount > 0;
  }

  async deleteOne(filter: StoredFilter): Promise<boolean> {
    const result = await guarded(() => this.model.collection.deleteOne(filter));
    return result.deletedCount > 0;
  }

  async deleteMany(filter: StoredFilter): Promise<number> {
    const result = await guarded(() => this.model.collection.deleteMany(filter));
    return result.deletedCount;
  }

  count(filter: StoredFilter): Promise<number> {
    return guarded(() => this.model.collection.countDocuments(filter));
  }

  private subject(id: string): ErrorSubject {
    return { entity: this.spec.entity, id };
  }
}
