import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ZodSerializerInterceptor, ZodValidationPipe } from 'nestjs-zod';
import { AuthGuard } from '@lemo/platform-auth';
import { HttpExceptionFilter } from '@lemo/platform-errors';
import { HealthController } from '@lemo/runtime';
import { TenantsController } from './controllers/tenants.controller';
import { ScenariosController, TemplatesController } from './controllers/scenarios.controller';
import { ItemsController } from './controllers/items.controller';
import { UsersController } from './controllers/users.controller';
import { BehaviorsController, TrackingSchemasController } from './controllers/behaviors.controller';
import { RecommendController } from './controllers/recommend.controller';
import { ModelsController } from './controllers/models.controller';
import { JobsController } from './controllers/jobs.controller';
import { ExperimentsController } from './controllers/experiments.controller';
import { AnalyticsController } from './controllers/analytics.controller';

/**
 * The REST transport: controllers plus the one validation pipe, response
 * serializer, auth guard and error filter. Use cases come from CoreModule.
 */
@Module({
  controllers: [
    HealthController,
    TenantsController,
    ScenariosController,
    TemplatesController,
    ItemsController,
    UsersController,
    BehaviorsController,
    TrackingSchemasController,
    RecommendController,
    ModelsController,
    JobsController,
    ExperimentsController,
    AnalyticsController,
  ],
  providers: [
    AuthGuard,
    { provide: APP_GUARD, useExisting: AuthGuard },
    { provide: APP_PIPE, useClass: ZodValidationPipe },
    { provide: APP_INTERCEPTOR, useClass: ZodSerializerInterceptor },
    { provide: APP_FILTER, useClass: HttpExceptionFilter },
  ],
})
export class ApiHttpModule {}
