import type {
  DatasetFilter,
  DatasetRepository,
  ExperimentFilter,
  ExperimentRepository,
  ModelFilter,
  ModelRepository,
  ScenarioFilter,
  ScenarioRepository,
} from '../../src/index';
import { aDataset, aModel, anExperiment, aScenario, isoAt } from '../fixtures';
import type { HarnessFactory } from '../harness';
import { tenantDocumentRepositoryContract } from './tenant-document-repository.contract';

export function scenarioRepositoryContract(name: string, create: HarnessFactory<ScenarioRepository>): void {
  tenantDocumentRepositoryContract<ReturnType<typeof aScenario>, ScenarioFilter>('ScenarioRepository', name, create, {
    make: aScenario,
    idOf: (doc) => doc.scenario_id,
    change: (doc) => ({
      ...doc,
      name: 'Renamed',
      status: 'testing',
      config: { ...doc.config, recall: { ...doc.config.recall, total_limit: 42 } },
      updated_at: isoAt(60_000),
    }),
    filterValues: { scenario_type: ['vlog', 'news'], status: ['testing', 'inactive'] },
  });
}

export function experimentRepositoryContract(name: string, create: HarnessFactory<ExperimentRepository>): void {
  tenantDocumentRepositoryContract<ReturnType<typeof anExperiment>, ExperimentFilter>('ExperimentRepository', name, create, {
    make: anExperiment,
    idOf: (doc) => doc.experiment_id,
    change: (doc) => ({ ...doc, status: 'running', started_at: isoAt(60_000), updated_at: isoAt(60_000) }),
    filterValues: { scenario_id: ['home', 'detail'], status: ['running', 'paused'] },
  });
}

export function modelRepositoryContract(name: string, create: HarnessFactory<ModelRepository>): void {
  tenantDocumentRepositoryContract<ReturnType<typeof aModel>, ModelFilter>('ModelRepository', name, create, {
    make: aModel,
    idOf: (doc) => doc.model_id,
    change: (doc) => ({ ...doc, status: 'deployed', deployed_version: 'v1', updated_at: isoAt(60_000) }),
    filterValues: { model_type: ['recall', 'rank'], status: ['trained', 'archived'], scenario_id: ['home', 'detail'] },
  });
}

export function datasetRepositoryContract(name: string, create: HarnessFactory<DatasetRepository>): void {
  tenantDocumentRepositoryContract<ReturnType<typeof aDataset>, DatasetFilter>('DatasetRepository', name, create, {
    make: aDataset,
    idOf: (doc) => doc.dataset_id,
    change: (doc) => ({ ...doc, row_count: 99, description: 'refreshed', updated_at: isoAt(60_000) }),
    filterValues: { format: ['jsonl', 'parquet'] },
  });
}
