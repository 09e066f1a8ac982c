import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { z } from 'zod';
import { ItemsUseCase } from '@lemo/application';
import { createItemSchema, DomainError, ITEM_STATUSES, ItemRepository, MAX_BATCH_ITEMS, pageInfo, parseOrThrow, updateItemSchema } from '@lemo/domain';
import { recommender } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { itemInput, itemMessage } from '../mapping/item.mapping';
import { idOf, pageRequestOf, presentString } from '../mapping/proto-values';

const listFilterSchema = z.object({ status: z.enum(ITEM_STATUSES).optional() }).strict();
const itemIdsSchema = z.array(z.string().min(1, 'must not be empty')).min(1, 'at least one item id is required').max(MAX_BATCH_ITEMS);

/** lemo.recommender.v1.ItemService on ItemsUseCase, with REST's scopes (reads: read, writes: write). */
@Controller()
@GrpcService('ItemService', recommender.ItemServiceService)
export class ItemGrpcController implements UnaryHandlers<recommender.ItemServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly items: ItemsUseCase,
    private readonly repository: ItemRepository,
  ) {}

  createItem(request: recommender.CreateItemRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.CreateItemRequest, recommender.CreateItemResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const input = parseOrThrow(createItemSchema, itemInput(request));
      return { item: itemMessage(await this.items.create(tenantId, idOf(request.scenario_id, 'scenario_id'), input)) };
    });
  }

  /**
   * Creates or replaces each item (REST's batch): the valid ones are written, every failure is
   * reported as `items.<index>…: message`, and `items` holds the stored records in request order.
   */
  batchCreateItems(request: recommender.BatchCreateItemsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.BatchCreateItemsRequest, recommender.BatchCreateItemsResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const scenarioId = idOf(request.scenario_id, 'scenario_id');
      const results = await this.items.batchUpsert(tenantId, scenarioId, request.items.map(itemInput));
      const failures = results.filter((result) => result.status === 'failed');
      const storedIds = results.filter((result) => result.status !== 'failed').map((result) => result.item_id ?? '');
      const stored = new Map((await this.repository.getMany(tenantId, scenarioId, storedIds)).map((item) => [item.item_id, item]));
      return {
        items: storedIds.flatMap((id) => {
          const item = stored.get(id);
          return item ? [itemMessage(item)] : [];
        }),
        success_count: results.length - failures.length,
        failed_count: failures.length,
        errors: failures.map((failure) => failure.error ?? `items.${failure.index}: failed`),
      };
    });
  }

  getItem(request: recommender.GetItemRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetItemRequest, recommender.GetItemResponse>) {
    return this.calls.run(call, 'read', async (caller) => ({ item: itemMessage(await this.items.get(caller.tenant(request.tenant_id), idOf(request.scenario_id, 'scenario_id'), idOf(request.item_id, 'item_id'))) }));
  }

  listItems(request: recommender.ListItemsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.ListItemsRequest, recommender.ListItemsResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const filter = parseOrThrow(listFilterSchema, { status: presentString(request.status) });
      const page = await this.items.list(tenantId, idOf(request.scenario_id, 'scenario_id'), filter, pageRequestOf(request.page));
      return { items: page.items.map(itemMessage), page_info: pageInfo(page) };
    });
  }

  /** Metadata keys are merged into the stored ones (REST's PATCH); status is active or inactive. */
  updateItem(request: recommender.UpdateItemRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateItemRequest, recommender.UpdateItemResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const input = parseOrThrow(updateItemSchema, { ...itemInput({ metadata: request.metadata, embedding: request.embedding }), mode: 'merge', status: presentString(request.status) });
      return { item: itemMessage(await this.items.update(tenantId, idOf(request.scenario_id, 'scenario_id'), idOf(request.item_id, 'item_id'), input)) };
    });
  }

  /** Soft delete, as REST's DELETE without `hard`: the record stays with status `deleted`. */
  deleteItem(request: recommender.DeleteItemRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.DeleteItemRequest, recommender.DeleteItemResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      await this.items.softDelete(caller.tenant(request.tenant_id), idOf(request.scenario_id, 'scenario_id'), idOf(request.item_id, 'item_id'));
      return { success: true };
    });
  }

  /** Soft-deletes the live items among `item_ids`; an id that is unknown or already deleted is reported in `errors`. */
  batchDeleteItems(request: recommender.BatchDeleteItemsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.BatchDeleteItemsRequest, recommender.BatchDeleteItemsResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const scenarioId = idOf(request.scenario_id, 'scenario_id');
      const itemIds = [...new Set(parseOrThrow(itemIdsSchema, request.item_ids, 'item_ids'))];
      const live = new Set((await this.repository.getMany(tenantId, scenarioId, itemIds)).filter((item) => item.status !== 'deleted').map((item) => item.item_id));
      const deleted = await this.items.softDeleteMany(tenantId, scenarioId, [...live]);
      const missing = itemIds.filter((id) => !live.has(id));
      return { success_count: deleted, failed_count: itemIds.length - deleted, errors: missing.map((id) => `item '${id}' not found or already deleted`) };
    });
  }

  /** Every word of `query` must appear in the title, description or tags, as REST's search. */
  searchItems(request: recommender.SearchItemsRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.SearchItemsRequest, recommender.SearchItemsResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      if (request.filters && Object.keys(request.filters).length > 0) {
        throw DomainError.invalid('filters', 'search takes no filters yet (ItemsUseCase.search matches the query only)');
      }
      const query = z.string().trim().min(1, 'must not be empty').max(256).safeParse(request.query);
      if (!query.success) throw DomainError.invalid('query', query.error.issues[0]?.message ?? 'invalid');
      const page = await this.items.search(tenantId, idOf(request.scenario_id, 'scenario_id'), query.data, pageRequestOf(request.page));
      return { items: page.items.map(itemMessage), page_info: pageInfo(page) };
    });
  }
}
