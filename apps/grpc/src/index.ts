export * from './grpc-transport.module';
export * from './grpc-app.module';
export * from './grpc-options';
