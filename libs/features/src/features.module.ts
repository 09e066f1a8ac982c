import { Module } from '@nestjs/common';
import { ItemSimilarityBuilder } from './similarity/item-similarity.builder';

/**
 * Offline feature builders. Expects EventStore and FeatureStore to be provided
 * globally by the storage module the app imports.
 */
@Module({ providers: [ItemSimilarityBuilder], exports: [ItemSimilarityBuilder] })
export class FeaturesModule {}
