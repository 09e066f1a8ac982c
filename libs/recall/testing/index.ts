export { InMemoryFeatureStore } from './in-memory-feature-store';
export { InMemoryItemRepository } from './in-memory-item-repository';
export { BruteForceVectorIndex } from './brute-force-vector-index';
export { testItem } from './items';
export { HOUR, NOW, interaction, strategyConfig, userContext } from './context';
