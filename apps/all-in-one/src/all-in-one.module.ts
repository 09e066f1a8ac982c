import { DynamicModule, Module } from '@nestjs/common';
import { ApiHttpModule } from '@lemo/api';
import { BackgroundJobsModule } from '@lemo/application';
import { GrpcTransportModule } from '@lemo/grpc';
import { AppConfig } from '@lemo/platform-config';
import { CoreModule } from '@lemo/runtime';
import { DemoSeeder } from './demo-seeder';

/**
 * Every app's module in one process: REST, gRPC and the job handlers share
 * one set of (embedded) adapters. The background apps that are still thin
 * (beat, consumer, streams, model-server) join as they gain work.
 */
@Module({})
export class AllInOneModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [CoreModule.forConfig(config), ApiHttpModule, GrpcTransportModule, BackgroundJobsModule],
      providers: [DemoSeeder],
    };
  }
}
