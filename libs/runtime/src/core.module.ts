import { DynamicModule, Module } from '@nestjs/common';
import { ApplicationModule } from '@lemo/application';
import { AppConfig, ConfigModule } from '@lemo/platform-config';
import { ObservabilityModule } from '@lemo/platform-observability';
import { HealthService } from './health.service';
import { StorageModule } from './storage.module';

/**
 * What every app process needs: validated config, logging and metrics, the
 * storage adapters the config selects, and the use cases.
 */
@Module({})
export class CoreModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      global: true,
      imports: [ConfigModule.forRoot(config), ObservabilityModule, StorageModule.forConfig(config), ApplicationModule],
      providers: [HealthService],
      exports: [ApplicationModule, HealthService],
    };
  }
}
