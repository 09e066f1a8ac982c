// Test-only entry of @lemo/domain: fixtures and the contract suite of every
// port. Each adapter lib runs these suites against its own adapters, so every
// backend is held to the same behaviour. Call a suite at the top level of a
// spec file with a factory that builds a fresh, empty adapter.
export * from './harness';
export * from './assertions';
export * from './fixtures';
export * from './planted-vectors';
export * from './analytics-reference';
export * from './contracts/tenant-repository.contract';
export * from './contracts/api-key-repository.contract';
export * from './contracts/tenant-document-repository.contract';
export * from './contracts/document-repositories.contract';
export * from './contracts/template-repository.contract';
export * from './contracts/item-repository.contract';
export * from './contracts/user-repository.contract';
export * from './contracts/tracking-schema-repository.contract';
export * from './contracts/event-store.contract';
export * from './contracts/event-bus.contract';
export * from './contracts/analytics-store.contract';
export * from './contracts/job-queue.contract';
export * from './contracts/scheduler.contract';
export * from './contracts/cache.contract';
export * from './contracts/feature-store.contract';
export * from './contracts/realtime-counters.contract';
export * from './contracts/vector-index.contract';
export * from './contracts/model-artifact-store.contract';
export * from './contracts/health-indicator.contract';
export * from './contracts/ingestion-reports.contract';
