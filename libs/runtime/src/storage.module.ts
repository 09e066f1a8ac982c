import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@lemo/platform-config';
import { EmbeddedStorageModule } from '@lemo/storage-embedded';

/**
 * Picks the adapter of every port from the validated config. Only the
 * embedded drivers exist in this build; each cluster driver adds a case here,
 * and the exhaustive switch refuses to compile until it does.
 */
@Module({})
export class StorageModule {
  static forConfig(config: AppConfig): DynamicModule {
    const driver = config.drivers.documents;
    switch (driver) {
      case 'embedded':
        return { module: StorageModule, imports: [EmbeddedStorageModule.forRoot({ dataDir: config.dataDir, vectorDimension: config.vectorDimension })], global: true };
    }
  }
}
