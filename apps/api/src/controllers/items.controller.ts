import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { RequireScope, TenantId } from '@lemo/platform-auth';
import { ItemListsUseCase, ItemsUseCase, toPageRequest } from '@lemo/application';
import { pageInfo } from '@lemo/domain';
import {
  BatchDeleteItemsDto,
  BatchDeleteResultDto,
  BatchItemsDto,
  BatchItemsResultDto,
  CountQueryDto,
  CreateItemDto,
  DeleteItemQueryDto,
  ItemDto,
  ItemListQueryDto,
  ItemPageDto,
  ItemSearchQueryDto,
  UpdateItemDto,
} from '../dto/items.dto';
import { ItemListDto } from '../dto/recommend.dto';

/** Items live in a scenario: `/items/{scenario_id}/{item_id}`, the path existing clients use. */
@ApiTags('items')
@ApiSecurity('api-key')
@Controller('items/:scenario_id')
export class ItemsController {
  constructor(
    private readonly items: ItemsUseCase,
    private readonly lists: ItemListsUseCase,
  ) {}

  @Post()
  @RequireScope('write')
  @ZodResponse({ status: 201, type: ItemDto })
  create(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Body() body: CreateItemDto) {
    return this.items.create(tenantId, scenarioId, body);
  }

  /** Creates or replaces up to 1,000 items; each item's outcome is reported by index. */
  @Post('batch')
  @RequireScope('write')
  @HttpCode(200)
  @ZodResponse({ type: BatchItemsResultDto })
  async batch(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Body() body: BatchItemsDto) {
    const results = await this.items.batchUpsert(tenantId, scenarioId, body.items);
    const failed = results.filter((r) => r.status === 'failed').length;
    return { total: results.length, succeeded: results.length - failed, failed, results };
  }

  @Post('batch-delete')
  @RequireScope('write')
  @HttpCode(200)
  @ZodResponse({ type: BatchDeleteResultDto })
  async batchDelete(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Body() body: BatchDeleteItemsDto) {
    const deleted = body.hard ? await this.items.hardDelete(tenantId, scenarioId, body.item_ids) : await this.items.softDeleteMany(tenantId, scenarioId, body.item_ids);
    return { requested: body.item_ids.length, deleted };
  }

  @Get()
  @ZodResponse({ type: ItemPageDto })
  async list(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Query() query: ItemListQueryDto) {
    const page = await this.items.list(tenantId, scenarioId, { status: query.status, category: query.category }, toPageRequest(query));
    return { items: page.items, page_info: pageInfo(page) };
  }

  /** Every word of `q` must appear in the title, description or tags (case-insensitive). */
  @Get('search')
  @ZodResponse({ type: ItemPageDto })
  async search(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Query() query: ItemSearchQueryDto) {
    const page = await this.items.search(tenantId, scenarioId, query.q, toPageRequest(query));
    return { items: page.items, page_info: pageInfo(page) };
  }

  @Get(':item_id')
  @ZodResponse({ type: ItemDto })
  get(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('item_id') itemId: string) {
    return this.items.get(tenantId, scenarioId, itemId);
  }

  /** Item-to-item: collaborative neighbours, then content neighbours. */
  @Get(':item_id/similar')
  @ZodResponse({ type: ItemListDto })
  async similar(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('item_id') itemId: string, @Query() query: CountQueryDto) {
    const items = await this.lists.similar(tenantId, scenarioId, itemId, query.count);
    return { items, count: items.length };
  }

  /** Merges the given metadata keys into the stored metadata. */
  @Patch(':item_id')
  @RequireScope('write')
  @ZodResponse({ type: ItemDto })
  merge(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('item_id') itemId: string, @Body() body: UpdateItemDto) {
    return this.items.update(tenantId, scenarioId, itemId, { ...body, mode: 'merge' });
  }

  /** Replaces the stored metadata with the given one. */
  @Put(':item_id')
  @RequireScope('write')
  @ZodResponse({ type: ItemDto })
  replace(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('item_id') itemId: string, @Body() body: UpdateItemDto) {
    return this.items.update(tenantId, scenarioId, itemId, { ...body, mode: 'replace' });
  }

  /** Soft delete by default (status `deleted`, out of every list at once); `?hard=true` removes the record. */
  @Delete(':item_id')
  @RequireScope('write')
  @HttpCode(204)
  async delete(@TenantId() tenantId: string, @Param('scenario_id') scenarioId: string, @Param('item_id') itemId: string, @Query() query: DeleteItemQueryDto) {
    if (query.hard === 'true') {
      if ((await this.items.hardDelete(tenantId, scenarioId, [itemId])) === 0) await this.items.get(tenantId, scenarioId, itemId);
      return;
    }
    await this.items.softDelete(tenantId, scenarioId, itemId);
  }
}
