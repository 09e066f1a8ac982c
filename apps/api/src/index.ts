export * from './api-http.module';
export * from './api-app.module';
export * from './http-app';
