import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ZodResponse } from 'nestjs-zod';
import { RequireScope, TenantId } from '@lemo/platform-auth';
import { UsersUseCase } from '@lemo/application';
import { UpsertUserDto, UserDeletedDto, UserDto, UserFeaturesDto, UserProfileDto } from '../dto/users.dto';

@ApiTags('users')
@ApiSecurity('api-key')
@Controller('users/:user_id')
export class UsersController {
  constructor(private readonly users: UsersUseCase) {}

  @Put()
  @RequireScope('write')
  @ZodResponse({ type: UserDto })
  upsert(@TenantId() tenantId: string, @Param('user_id') userId: string, @Body() body: UpsertUserDto) {
    return this.users.upsert(tenantId, userId, body.attributes);
  }

  @Get()
  @ZodResponse({ type: UserDto })
  get(@TenantId() tenantId: string, @Param('user_id') userId: string) {
    return this.users.get(tenantId, userId);
  }

  /** GDPR erasure: the user, all their events, real-time features and cached recommendations. */
  @Delete()
  @RequireScope('write')
  @ZodResponse({ type: UserDeletedDto })
  async delete(@TenantId() tenantId: string, @Param('user_id') userId: string) {
    const { events_deleted } = await this.users.delete(tenantId, userId);
    return { deleted: true, events_deleted };
  }

  @Get('profile')
  @ZodResponse({ type: UserProfileDto })
  profile(@TenantId() tenantId: string, @Param('user_id') userId: string) {
    return this.users.profile(tenantId, userId);
  }

  /** Real-time features the next recommendation reads. */
  @Get('features')
  @ZodResponse({ type: UserFeaturesDto })
  features(@TenantId() tenantId: string, @Param('user_id') userId: string) {
    return this.users.realtimeFeatures(tenantId, userId);
  }
}
