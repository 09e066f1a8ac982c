export * from './core.module';
export * from './storage.module';
export * from './health.service';
export * from './health.controller';
export * from './run-process';
export * from './background-app';
