import { Module } from '@nestjs/common';
import { ModelArtifactStore, ModelRepository } from '@lemo/domain';
import { ServedRankers } from '@lemo/ranking';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { ModelServingMetrics } from './model-serving.metrics';
import { ModelServingUseCase } from './model-serving.use-case';

/** Builds the pool from the validated config, reporting to the metrics and the log. */
export function servedRankersFactory(config: AppConfig, models: ModelRepository, artifacts: ModelArtifactStore, metrics: ModelServingMetrics, logger: AppLogger): ServedRankers {
  const pool = new ServedRankers(models, artifacts, {
    pollMs: config.modelServer.pollMs,
    maxLoaded: config.modelServer.maxLoaded,
    observer: {
      loaded: (ref, millis) => {
        metrics.loads.inc({ model: ref.kind });
        logger.info({ tenant_id: ref.tenantId, scenario_id: ref.scenarioId, model: ref.kind, version: ref.version, load_ms: Math.round(millis) }, 'model loaded');
      },
      swapped: (ref, from, to) => {
        metrics.swaps.inc({ model: ref.kind });
        logger.info({ tenant_id: ref.tenantId, scenario_id: ref.scenarioId, model: ref.kind, from, to }, 'deployed model swapped');
      },
      disposed: (ref) => logger.debug({ tenant_id: ref.tenantId, scenario_id: ref.scenarioId, model: ref.kind, version: ref.version }, 'model disposed'),
      pollFailed: (error) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'model registry poll failed; serving the loaded versions'),
    },
  });
  metrics.watch(pool);
  return pool;
}

/**
 * The model-server's serving: the pool of loaded rankers (built from AppConfig,
 * reading the ModelRepository and ModelArtifactStore ports), its metrics and the
 * use case. Imported by the model-server app only: other processes rank in-process
 * or through it.
 */
@Module({
  providers: [
    ModelServingMetrics,
    { provide: ServedRankers, useFactory: servedRankersFactory, inject: [AppConfig, ModelRepository, ModelArtifactStore, ModelServingMetrics, LOGGER] },
    ModelServingUseCase,
  ],
  exports: [ModelServingUseCase, ServedRankers, ModelServingMetrics],
})
export class ModelServingModule {}
