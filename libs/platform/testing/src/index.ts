export * from './stack-backends';
export * from './tcp-proxy';
