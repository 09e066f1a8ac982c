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
import type { Connection } from 'mongoose';
import { MongoDocumentRepository } from './tenant-document-repository';

// Each port is an abstract class of its own (a DI token) that adds no members to
// TenantDocumentRepository, so one MongoDB implementation serves all four, bound to its collection.

export const createScenarioRepository = (connection: Connection): ScenarioRepository =>
  new MongoDocumentRepository<Scenario, ScenarioFilter>(connection, {
    name: 'scenarios',
    entity: 'scenario',
    idField: 'scenario_id',
    filterFields: ['scenario_type', 'status'],
  });

export const createExperimentRepository = (connection: Connection): ExperimentRepository =>
  new MongoDocumentRepository<Experiment, ExperimentFilter>(connection, {
    name: 'experiments',
    entity: 'experiment',
    idField: 'experiment_id',
    filterFields: ['scenario_id', 'status'],
  });

export const createModelRepository = (connection: Connection): ModelRepository =>
  new MongoDocumentRepository<Model, ModelFilter>(connection, {
    name: 'models',
    entity: 'model',
    idField: 'model_id',
    filterFields: ['model_type', 'status', 'scenario_id'],
  });

export const createDatasetRepository = (connection: Connection): DatasetRepository =>
  new MongoDocumentRepository<Dataset, DatasetFilter>(connection, { name: 'datasets', entity: 'dataset', idField: 'dataset_id', filterFields: ['format'] });
