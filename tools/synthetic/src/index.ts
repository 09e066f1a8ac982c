export * from './synthetic-dataset';
export * from './random';
