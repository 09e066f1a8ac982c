import {
  DatasetRepository,
  ExperimentRepository,
  ModelRepository,
  ScenarioRepository,
  type Dataset,
  type DatasetFilter,
  type Experiment,
  type ExperimentFilter,
  type Model,
  type ModelFilter,
  type Scenario,
  type ScenarioFilter,
} from '@lemo/domain';
import type { SqliteDatabase } from '../sqlite/sqlite-database';
import { SqliteDocumentRepository } from './sqlite-document-repository';

// Each port is an abstract class of its own (a DI token) that adds no members to
// TenantDocumentRepository, so one SQLite implementation serves all four, bound to its table.

export const createScenarioRepository = (db: SqliteDatabase): ScenarioRepository =>
  new SqliteDocumentRepository<Scenario, ScenarioFilter>(db, {
    table: 'scenarios',
    entity: 'scenario',
    idColumn: 'scenario_id',
    filterColumns: ['scenario_type', 'status'],
  });

export const createExperimentRepository = (db: SqliteDatabase): ExperimentRepository =>
  new SqliteDocumentRepository<Experiment, ExperimentFilter>(db, {
    table: 'experiments',
    entity: 'experiment',
    idColumn: 'experiment_id',
    filterColumns: ['scenario_id', 'status'],
  });

export const createModelRepository = (db: SqliteDatabase): ModelRepository =>
  new SqliteDocumentRepository<Model, ModelFilter>(db, {
    table: 'models',
    entity: 'model',
    idColumn: 'model_id',
    filterColumns: ['model_type', 'status', 'scenario_id'],
  });

export const createDatasetRepository = (db: SqliteDatabase): DatasetRepository =>
  new SqliteDocumentRepository<Dataset, DatasetFilter>(db, { table: 'datasets', entity: 'dataset', idColumn: 'dataset_id', filterColumns: ['format'] });
