import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@lemo/platform-config';
import { CoreModule } from '@lemo/runtime';
import { GrpcTransportModule } from './grpc-transport.module';

@Module({})
export class GrpcAppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return { module: GrpcAppModule, imports: [CoreModule.forConfig(config), GrpcTransportModule] };
  }
}
