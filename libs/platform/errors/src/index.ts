export * from './http-status';
export * from './http-exception.filter';
