import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig, processEnvironment } from '@lemo/platform-config';
import { runProcess } from '@lemo/runtime';
import { GrpcAppModule } from './grpc-app.module';
import { grpcOptions } from './grpc-options';
import { EtcdServiceRegistration } from './registration/etcd-registration';
import { registrationSettingsFrom } from './registration/registration-settings';

runProcess('grpc', async () => {
  const config = loadConfig();
  const registration = registrationSettingsFrom(processEnvironment(), config);
  const app = await NestFactory.createMicroservice(GrpcAppModule.forConfig(config, registration), grpcOptions(config));
  app.enableShutdownHooks();
  await app.listen();
  // Registered only once the port takes calls, so nothing is routed to an instance still starting.
  if (registration) app.get(EtcdServiceRegistration).start();
});
