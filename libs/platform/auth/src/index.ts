export * from './api-key-secret';
export * from './auth-context';
export * from './auth.decorators';
export * from './auth.guard';
export * from './rate-limiter';
