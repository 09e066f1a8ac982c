import { Injectable } from '@nestjs/common';
import type { ZodType } from 'zod';
import {
  DomainError,
  FeatureStore,
  ItemRepository,
  JobQueue,
  MAX_BATCH_ITEMS,
  TenantRepository,
  VectorIndex,
  createItemSchema,
  fieldIssues,
  itemUpdateEntrySchema,
  type CreateItemInput,
  type Item,
  type ItemFilter,
  type Page,
  type PageRequest,
  type UpdateItemInput,
} from '@lemo/domain';
import { JOBS, type ItemVectorsJob } from '../jobs/job-names';
import { ScenarioLookup } from '../scenarios/scenario-lookup';
import { nowIso } from '../shared/time';
import { withRequestId } from '../shared/request-trace';

export interface BatchItemResult {
  item_id: string | null;
  index: number;
  status: 'created' | 'updated' | 'failed';
  error?: string;
}

@Injectable()
export class ItemsUseCase {
  constructor(
    private readonly items: ItemRepository,
    private readonly scenarios: ScenarioLookup,
    private readonly tenants: TenantRepository,
    private readonly jobs: JobQueue,
    private readonly vectors: VectorIndex,
    private readonly features: FeatureStore,
  ) {}

  async create(tenantId: string, scenarioId: string, input: CreateItemInput): Promise<Item> {
    await this.scenarios.require(tenantId, scenarioId);
    this.checkEmbedding(input.embedding, 'embedding');
    if (await this.items.get(tenantId, scenarioId, input.item_id)) throw DomainError.alreadyExists('item', input.item_id);
    await this.checkQuota(tenantId, 1);
    const item = this.newItem(tenantId, scenarioId, input);
    await this.items.upsertMany([item]);
    await this.refreshVectors(tenantId, scenarioId, [item.item_id]);
    return item;
  }

  /**
   * Creates or replaces up to MAX_BATCH_ITEMS items. Each item is validated on
   * its own; the valid ones are written in one atomic write and every item's
   * outcome is reported by index.
   */
  async batchUpsert(tenantId: string, scenarioId: string, rawItems: unknown[]): Promise<BatchItemResult[]> {
    if (rawItems.length > MAX_BATCH_ITEMS) throw DomainError.invalid('items', `at most ${MAX_BATCH_ITEMS} items per batch`);
    await this.scenarios.require(tenantId, scenarioId);
    const { results, valid } = this.checkBatch(rawItems, createItemSchema, 'created');
    const existing = new Map((await this.items.getMany(tenantId, scenarioId, [...valid.keys()])).map((item) => [item.item_id, item]));
    await this.checkQuota(tenantId, valid.size - existing.size);
    const toWrite = [...valid.values()].map(({ entry: input }) => {
      const previous = existing.get(input.item_id);
      return previous ? { ...this.newItem(tenantId, scenarioId, input), created_at: previous.created_at } : this.newItem(tenantId, scenarioId, input);
    });
    await this.items.upsertMany(toWrite);
    for (const result of results) if (result.status === 'created' && existing.has(result.item_id ?? '')) result.status = 'updated';
    await this.refreshVectors(tenantId, scenarioId, [...valid.keys()]);
    return results;
  }

  async get(tenantId: string, scenarioId: string, itemId: string): Promise<Item> {
    const item = await this.items.get(tenantId, scenarioId, itemId);
    if (!item) throw DomainError.notFound('item', itemId);
    return item;
  }

  async list(tenantId: string, scenarioId: string, filter: ItemFilter, page: PageRequest): Promise<Page<Item>> {
    await this.scenarios.require(tenantId, scenarioId);
    return this.items.list(tenantId, scenarioId, filter, page);
  }

  async search(tenantId: string, scenarioId: string, query: string, page: PageRequest): Promise<Page<Item>> {
    await this.scenarios.require(tenantId, scenarioId);
    return this.items.search(tenantId, scenarioId, query, page);
  }

  /** merge: metadata keys are merged over the stored ones; replace: metadata is replaced whole. */
  async update(tenantId: string, scenarioId: string, itemId: string, input: UpdateItemInput): Promise<Item> {
    this.checkEmbedding(input.embedding, 'embedding');
    const current = await this.get(tenantId, scenarioId, itemId);
    if (current.status === 'deleted') throw new DomainError('FAILED_PRECONDITION', `item '${itemId}' is deleted; create it again instead`);
    const updated = this.withUpdate(current, input, input.mode, nowIso());
    await this.items.upsertMany([updated]);
    await this.refreshVectors(tenantId, scenarioId, [itemId]);
    return updated;
  }

  /**
   * Updates up to MAX_BATCH_ITEMS items (the item events' `update`), each as
   * PATCH (merge) or PUT (replace) would. Each item is validated on its own;
   * an unknown or deleted item fails alone; the others are written in one
   * write and get one vectors job. Every item's outcome is reported by index.
   */
  async batchUpdate(tenantId: string, scenarioId: string, rawItems: unknown[], mode: UpdateItemInput['mode']): Promise<BatchItemResult[]> {
    if (rawItems.length > MAX_BATCH_ITEMS) throw DomainError.invalid('items', `at most ${MAX_BATCH_ITEMS} items per batch`);
    await this.scenarios.require(tenantId, scenarioId);
    const { results, valid } = this.checkBatch(rawItems, itemUpdateEntrySchema, 'updated');
    const stored = new Map((await this.items.getMany(tenantId, scenarioId, [...valid.keys()])).map((item) => [item.item_id, item]));
    const now = nowIso();
    const toWrite: Item[] = [];
    for (const [itemId, { index, entry }] of valid) {
      const current = stored.get(itemId);
      const problem = !current ? `item '${itemId}' not found` : current.status === 'deleted' ? `item '${itemId}' is deleted; create it again instead` : null;
      if (problem || !current) Object.assign(results[index], { status: 'failed', error: `items.${index}.item_id: ${problem}` });
      else toWrite.push(this.withUpdate(current, entry, mode, now));
    }
    await this.items.upsertMany(toWrite);
    await this.refreshVectors(tenantId, scenarioId, toWrite.map((item) => item.item_id));
    return results;
  }

  /** Soft delete keeps the record (status `deleted`) but takes the item out of every recommendation at once. */
  async softDelete(tenantId: string, scenarioId: string, itemId: string): Promise<void> {
    const current = await this.get(tenantId, scenarioId, itemId);
    await this.items.upsertMany([{ ...current, status: 'deleted', updated_at: nowIso() }]);
    await this.forgetInEngine(tenantId, scenarioId, [itemId]);
  }

  /** Soft-deletes the live items among `itemIds`; returns how many were live. */
  async softDeleteMany(tenantId: string, scenarioId: string, itemIds: string[]): Promise<number> {
    await this.scenarios.require(tenantId, scenarioId);
    const live = (await this.items.getMany(tenantId, scenarioId, itemIds)).filter((item) => item.status !== 'deleted');
    const now = nowIso();
    await this.items.upsertMany(live.map((item) => ({ ...item, status: 'deleted' as const, updated_at: now })));
    await this.forgetInEngine(tenantId, scenarioId, live.map((item) => item.item_id));
    return live.length;
  }

  async hardDelete(tenantId: string, scenarioId: string, itemIds: string[]): Promise<number> {
    await this.scenarios.require(tenantId, scenarioId);
    const removed = await this.items.hardDelete(tenantId, scenarioId, itemIds);
    await this.forgetInEngine(tenantId, scenarioId, itemIds);
    return removed;
  }

  private withUpdate(current: Item, input: Omit<UpdateItemInput, 'mode'>, mode: UpdateItemInput['mode'], now: string): Item {
    const metadata = input.metadata === undefined ? current.metadata : mode === 'replace' ? input.metadata : { ...current.metadata, ...input.metadata };
    return { ...current, status: input.status ?? current.status, metadata, embedding: input.embedding ?? current.embedding, updated_at: now };
  }

  private newItem(tenantId: string, scenarioId: string, input: CreateItemInput): Item {
    const now = nowIso();
    return { tenant_id: tenantId, scenario_id: scenarioId, item_id: input.item_id, status: input.status, metadata: input.metadata, embedding: input.embedding, created_at: now, updated_at: now };
  }

  /**
   * Validates a batch item by item, as a REST batch reports it: the schema,
   * the embedding's dimension, ids unique within the batch. Returns a result
   * per index (`ok` for the valid ones, for the caller to revise) and the
   * valid entries by item id.
   */
  private checkBatch<T extends { item_id: string; embedding?: number[] }>(
    rawItems: unknown[],
    schema: ZodType<T>,
    ok: BatchItemResult['status'],
  ): { results: BatchItemResult[]; valid: Map<string, { index: number; entry: T }> } {
    const results: BatchItemResult[] = [];
    const valid = new Map<string, { index: number; entry: T }>();
    rawItems.forEach((raw, index) => {
      const parsed = schema.safeParse(raw);
      const itemId = typeof (raw as { item_id?: unknown })?.item_id === 'string' ? (raw as { item_id: string }).item_id : null;
      const dimensionError = parsed.success ? this.embeddingProblem(parsed.data.embedding, `items.${index}.embedding`) : null;
      if (!parsed.success) {
        const message = fieldIssues(parsed.error, `items.${index}`).map((i) => `${i.field}: ${i.message}`).join('; ');
        results.push({ item_id: itemId, index, status: 'failed', error: message });
      } else if (dimensionError) {
        results.push({ item_id: itemId, index, status: 'failed', error: dimensionError });
      } else if (valid.has(parsed.data.item_id)) {
        results.push({ item_id: itemId, index, status: 'failed', error: `items.${index}.item_id: duplicate of an earlier item in this batch` });
      } else {
        valid.set(parsed.data.item_id, { index, entry: parsed.data });
        results.push({ item_id: itemId, index, status: ok });
      }
    });
    return { results, valid };
  }

  /** Client embeddings go into the vector index as they are, so they must have its dimension. */
  private embeddingProblem(embedding: number[] | undefined, field: string): string | null {
    return embedding && embedding.length !== this.vectors.dimension ? `${field}: must have ${this.vectors.dimension} components, got ${embedding.length}` : null;
  }

  private checkEmbedding(embedding: number[] | undefined, field: string): void {
    const problem = this.embeddingProblem(embedding, field);
    if (problem) throw DomainError.invalid(field, problem.slice(field.length + 2));
  }

  private async checkQuota(tenantId: string, adding: number): Promise<void> {
    if (adding <= 0) return;
    const tenant = await this.tenants.get(tenantId);
    if (!tenant) return;
    const count = await this.items.count(tenantId);
    if (count + adding > tenant.quotas.max_items) {
      throw new DomainError('QUOTA_EXCEEDED', `item quota of ${tenant.quotas.max_items} reached (${count} stored)`);
    }
  }

  private async refreshVectors(tenantId: string, scenarioId: string, itemIds: string[]): Promise<void> {
    if (itemIds.length === 0) return;
    const job: ItemVectorsJob = { tenant_id: tenantId, scenario_id: scenarioId, item_ids: itemIds };
    await this.jobs.enqueue(JOBS.itemVectors.queue, JOBS.itemVectors.name, withRequestId(job), { attempts: 5, backoffMs: 500 });
  }

  private async forgetInEngine(tenantId: string, scenarioId: string, itemIds: string[]): Promise<void> {
    await this.vectors.remove(tenantId, scenarioId, itemIds);
    await this.features.removeItems(tenantId, scenarioId, itemIds);
  }
}
