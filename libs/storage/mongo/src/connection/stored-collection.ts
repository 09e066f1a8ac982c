import { offsetOf, type Page, type PageRequest } from '@lemo/domain';
import { Schema, type Connection, type IndexDefinition, type IndexOptions, type Model, type mongo } from 'mongoose';
import { duplicateIndexes, guarded, retryingDuplicateUpsert, type ErrorSubject } from './mongo-errors';
import { fromStored, toStored, type StoredDocument } from './stored-document';

export type StoredFilter = mongo.Filter<mongo.Document>;
export type StoredSort = Record<string, 1 | -1>;

/** Newest first; `_id` (an ObjectId, increasing per writer) breaks ties so that pages never overlap. */
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
   * Creates or replaces each document by its filter, in one ordered bulk write.
   * Without transactions (FerretDB has none) this is atomic per document: a
   * failure part-way leaves the earlier ones written; retrying converges.
   */
  async upsertMany(entries: ReadonlyArray<{ filter: StoredFilter; doc: T }>): Promise<void> {
    if (entries.length === 0) return;
    const operations = entries.map(({ filter, doc }) => ({ replaceOne: { filter, replacement: this.stored(doc), upsert: true } }));
    await retryingDuplicateUpsert(() => this.model.collection.bulkWrite(operations, { ordered: true }));
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
