import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { AuthGuard, PlatformAdmin } from '@lemo/platform-auth';
import { TenantAdminUseCase, toPageRequest } from '@lemo/application';
import { pageInfo } from '@lemo/domain';
import { PageQueryDto } from '../dto/common.dto';
import { ApiKeyListDto, CreateApiKeyDto, CreateTenantDto, CreatedApiKeyDto, TenantDto, TenantPageDto, UpdateTenantDto } from '../dto/tenants.dto';

@ApiTags('tenants (platform admin)')
@ApiSecurity('admin-key')
@PlatformAdmin()
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly admin: TenantAdminUseCase,
    private readonly guard: AuthGuard,
  ) {}

  @Post()
  @ZodResponse({ status: 201, type: TenantDto })
  create(@Body() body: CreateTenantDto) {
    return this.admin.createTenant(body);
  }

  @Get()
  @ZodResponse({ type: TenantPageDto })
  async list(@Query() query: PageQueryDto) {
    const page = await this.admin.listTenants(toPageRequest(query));
    return { items: page.items, page_info: pageInfo(page) };
  }

  @Get(':tenant_id')
  @ZodResponse({ type: TenantDto })
  get(@Param('tenant_id') tenantId: string) {
    return this.admin.getTenant(tenantId);
  }

  @Patch(':tenant_id')
  @ZodResponse({ type: TenantDto })
  async update(@Param('tenant_id') tenantId: string, @Body() body: UpdateTenantDto) {
    const tenant = await this.admin.updateTenant(tenantId, body);
    this.guard.forget();
    return tenant;
  }

  /** The secret is in this response only. */
  @Post(':tenant_id/api-keys')
  @ZodResponse({ status: 201, type: CreatedApiKeyDto })
  async createKey(@Param('tenant_id') tenantId: string, @Body() body: CreateApiKeyDto) {
    const { key, secret } = await this.admin.createApiKey(tenantId, body);
    return { key, api_key: secret };
  }

  @Get(':tenant_id/api-keys')
  @ZodResponse({ type: ApiKeyListDto })
  async listKeys(@Param('tenant_id') tenantId: string) {
    return { items: await this.admin.listApiKeys(tenantId) };
  }

  @Delete(':tenant_id/api-keys/:key_id')
  @HttpCode(204)
  async revokeKey(@Param('tenant_id') tenantId: string, @Param('key_id') keyId: string): Promise<void> {
    await this.admin.revokeApiKey(tenantId, keyId);
    this.guard.forget();
  }
}
