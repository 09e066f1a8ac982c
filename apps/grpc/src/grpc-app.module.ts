import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { CoreModule } from '@lemo/runtime';
import { GrpcTransportModule } from './grpc-transport.module';
import { EtcdServiceRegistration } from './registration/etcd-registration';
import type { RegistrationSettings } from './registration/registration-settings';

@Module({})
export class GrpcAppModule {
  /** With registration settings, the instance registers in etcd (main.ts, once listening) and deregisters on shutdown. */
  static forConfig(config: AppConfig, registration: RegistrationSettings | null = null): DynamicModule {
    return {
      module: GrpcAppModule,
      imports: [CoreModule.forConfig(config), GrpcTransportModule],
      providers: registration ? [{ provide: EtcdServiceRegistration, inject: [LOGGER], useFactory: (logger: AppLogger) => EtcdServiceRegistration.connect(registration, logger) }] : [],
    };
  }
}
