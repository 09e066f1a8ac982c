import { Body, Controller, Get, Headers, HttpCode, Post, Query } from '@nestjs/common';
import { ApiHeader, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { TenantId } from '@lemo/platform-auth';
import { ItemListsUseCase, RecommendUseCase } from '@lemo/application';
import { DomainError, clientId } from '@lemo/domain';
import { ItemListDto, ListQueryDto, RecommendRequestDto, RecommendResponseDto } from '../dto/recommend.dto';

const userIdHeader = clientId('X-User-Id');

@ApiTags('recommendations')
@ApiSecurity('api-key')
@Controller('recommend')
export class RecommendController {
  constructor(
    private readonly recommendations: RecommendUseCase,
    private readonly lists: ItemListsUseCase,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiHeader({ name: 'X-User-Id', required: false, description: 'The user, when the body has no user_id' })
  @ZodResponse({ type: RecommendResponseDto })
  recommend(@TenantId() tenantId: string, @Body() body: RecommendRequestDto, @Headers('x-user-id') headerUserId?: string) {
    let userId = body.user_id;
    if (!userId && headerUserId) {
      const parsed = userIdHeader.safeParse(headerUserId);
      if (!parsed.success) throw DomainError.invalid('X-User-Id', parsed.error.issues[0]?.message ?? 'invalid');
      userId = parsed.data;
    }
    return this.recommendations.recommend(tenantId, { ...body, user_id: userId });
  }

  @Get('popular')
  @ZodResponse({ type: ItemListDto })
  async popular(@TenantId() tenantId: string, @Query() query: ListQueryDto) {
    const items = await this.lists.popular(tenantId, query.scenario_id, query.count);
    return { items, count: items.length };
  }

  @Get('latest')
  @ZodResponse({ type: ItemListDto })
  async latest(@TenantId() tenantId: string, @Query() query: ListQueryDto) {
    const items = await this.lists.latest(tenantId, query.scenario_id, query.count);
    return { items, count: items.length };
  }
}
