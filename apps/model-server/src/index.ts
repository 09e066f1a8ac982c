export * from './model-server.module';
export * from './internal-request';
