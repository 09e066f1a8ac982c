import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@lemo/platform-config';
import type { Logger } from 'pino';
import { createLogger } from './logger';
import { Metrics } from './metrics';

/** DI token for the pino logger. */
export const LOGGER = Symbol('LOGGER');
export type AppLogger = Logger;

@Global()
@Module({
  providers: [
    { provide: LOGGER, inject: [AppConfig], useFactory: (config: AppConfig) => createLogger({ level: config.logLevel, service: config.serviceName }) },
    { provide: Metrics, inject: [AppConfig], useFactory: (config: AppConfig) => new Metrics(config.serviceName) },
  ],
  exports: [LOGGER, Metrics],
})
export class ObservabilityModule {}
