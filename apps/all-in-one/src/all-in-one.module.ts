import { DynamicModule, Module } from '@nestjs/common';
import { ApiHttpModule } from '@lemo/api';
import { BackgroundJobsModule, BeatModule, ItemEventsModule, StreamsModule } from '@lemo/application';
import { GrpcTransportModule } from '@lemo/grpc';
import { AppConfig } from '@lemo/platform-config';
import { CoreModule } from '@lemo/runtime';
import { DemoSeeder } from './demo-seeder';

/**
 * Every app's module in one process: REST, gRPC, the job handlers, beat's
 * schedules, the stream jobs and the item-events consumer share one set of (embedded) adapters. The
 * background apps that are still thin (model-server) join as they gain work.
 */
@Module({})
export class AllInOneModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AllInOneModule,
      imports: [CoreModule.forConfig(config), ApiHttpModule, GrpcTransportModule, BackgroundJobsModule, BeatModule, StreamsModule, ItemEventsModule],
      providers: [DemoSeeder],
    };
  }
}
