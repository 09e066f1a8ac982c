export * from './stack-backends';
