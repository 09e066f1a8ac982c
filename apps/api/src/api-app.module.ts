import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@lemo/platform-config';
import { CoreModule } from '@lemo/runtime';
import { ApiHttpModule } from './api-http.module';

/** The standalone api process: core services plus the REST transport. */
@Module({})
export class ApiAppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return { module: ApiAppModule, imports: [CoreModule.forConfig(config), ApiHttpModule] };
  }
}
