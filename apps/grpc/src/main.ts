import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@lemo/platform-config';
import { runProcess } from '@lemo/runtime';
import { GrpcAppModule } from './grpc-app.module';
import { grpcOptions } from './grpc-options';

runProcess('grpc', async () => {
  const config = loadConfig();
  const app = await NestFactory.createMicroservice(GrpcAppModule.forConfig(config), grpcOptions(config));
  app.enableShutdownHooks();
  await app.listen();
});
