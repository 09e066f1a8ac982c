export * from './test-app';
export * from './tenant-fixture';
export * from '@lemo/platform-testing';
export * from './app-process';
