import { Readable } from 'node:stream';
import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { TenantId } from '@lemo/platform-auth';
import { AnalyticsUseCase, exportFileName, IngestionReportsUseCase, RealtimeMetricsUseCase, type ExportFormat } from '@lemo/application';
import {
  DashboardDto,
  DashboardQueryDto,
  ExportQueryDto,
  FunnelDto,
  FunnelQueryDto,
  ItemDistributionDto,
  ItemDistributionQueryDto,
  TopItemsDto,
  TopItemsQueryDto,
  TrendDto,
  TrendQueryDto,
} from '../dto/analytics.dto';
import { RealtimeDto, RealtimeQueryDto } from '../dto/realtime.dto';
import { IngestionQueryDto, IngestionReportsDto } from '../dto/ingestion.dto';

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };

/**
 * Measured analytics of the tenant's behaviour events. Every route takes a
 * time range `from`/`to` in unix ms ([from, to); default: the week before
 * now) and an optional `scenario_id` (404 when the tenant has no such scenario).
 */
@ApiTags('analytics')
@ApiSecurity('api-key')
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly analytics: AnalyticsUseCase,
    private readonly realtimeMetrics: RealtimeMetricsUseCase,
    private readonly ingestion: IngestionReportsUseCase,
  ) {}

  /** Impressions, clicks, CTR, active users (any action), events by action, catalogue and user counts; serving latency and recommendations served are per process (see their descriptions). */
  @Get('dashboard')
  @ZodResponse({ type: DashboardDto })
  dashboard(@TenantId() tenantId: string, @Query() query: DashboardQueryDto) {
    return this.analytics.dashboard(tenantId, query);
  }

  /** Events per UTC hour or day (`granularity`), per action and in total with CTR. */
  @Get('trends')
  @ZodResponse({ type: TrendDto })
  trends(@TenantId() tenantId: string, @Query() query: TrendQueryDto) {
    return this.analytics.trends(tenantId, query);
  }

  /** A scenario's items by events (optionally of some `actions`), best first. */
  @Get('top-items')
  @ZodResponse({ type: TopItemsDto })
  topItems(@TenantId() tenantId: string, @Query() query: TopItemsQueryDto) {
    return this.analytics.topItems(tenantId, query);
  }

  /** Distinct users per step (`steps`, default impression,click,add_cart,order,purchase), each step counted on its own. */
  @Get('funnel')
  @ZodResponse({ type: FunnelDto })
  funnel(@TenantId() tenantId: string, @Query() query: FunnelQueryDto) {
    return this.analytics.funnel(tenantId, query);
  }

  /**
   * Items of a scenario per value of one metadata `field` (category, tags, author, price…), counted over
   * the catalogue now (no time range): an array field counts each distinct element, numbers per
   * `bucket_width` band when given. 400 for a malformed field name, 404 for an unknown scenario.
   */
  @Get('item-distribution')
  @ZodResponse({ type: ItemDistributionDto })
  itemDistribution(@TenantId() tenantId: string, @Query() query: ItemDistributionQueryDto) {
    return this.analytics.itemDistribution(tenantId, query);
  }

  /**
   * Impressions, clicks, conversions and CTR of the last `minutes` minutes (default 15, at most 120; no
   * from/to), in total, per experiment group and per minute, as counted by the streams app's real-time
   * metrics job (each event once, as fresh as its consumption of the bus).
   */
  @Get('realtime')
  @ZodResponse({ type: RealtimeDto })
  realtime(@TenantId() tenantId: string, @Query() query: RealtimeQueryDto) {
    return this.realtimeMetrics.read(tenantId, query);
  }

  /**
   * The tenant's recent ingestion throughput reports (no from/to): one per consumer process and window
   * (ITEM_EVENTS_REPORT_INTERVAL_MS) with messages, items and dead letters and their rates, newest first,
   * at most `limit` (default 20, at most 500), of one `source` when given. Kept 30 days.
   */
  @Get('ingestion')
  @ZodResponse({ type: IngestionReportsDto })
  ingestionReports(@TenantId() tenantId: string, @Query() query: IngestionQueryDto) {
    return this.ingestion.recent(tenantId, query);
  }

  /** A scenario's raw events of the range, oldest first, streamed as CSV (with a header row) or JSON lines. */
  @Get('export')
  @ApiProduces(CONTENT_TYPES.csv, CONTENT_TYPES.jsonl)
  @ApiOkResponse({ description: 'one event per line' })
  async export(@TenantId() tenantId: string, @Query() query: ExportQueryDto): Promise<StreamableFile> {
    const { format, lines } = await this.analytics.export(tenantId, query);
    return new StreamableFile(Readable.from(lines), {
      type: CONTENT_TYPES[format],
      disposition: `attachment; filename="${exportFileName(query.scenario_id, format)}"`,
    });
  }
}
