import { TrackingSchemaRepository, type TrackingSchema } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { StoredCollection, type CollectionSpec } from '../connection/stored-collection';

const TRACKING_SCHEMAS: CollectionSpec = {
  name: 'tracking_schemas',
  entity: 'tracking schema',
  indexes: [[{ tenant_id: 1, scenario_id: 1 }, { unique: true }]],
};

export class MongoTrackingSchemaRepository extends TrackingSchemaRepository {
  private readonly schemas: StoredCollection<TrackingSchema>;

  constructor(connection: Connection) {
    super();
    this.schemas = new StoredCollection(connection, TRACKING_SCHEMAS);
  }

  put(schema: TrackingSchema): Promise<void> {
    return this.schemas.upsertOne({ tenant_id: schema.tenant_id, scenario_id: schema.scenario_id }, schema);
  }

  get(tenantId: string, scenarioId: string): Promise<TrackingSchema | null> {
    return this.schemas.findOne({ tenant_id: tenantId, scenario_id: scenarioId });
  }

  delete(tenantId: string, scenarioId: string): Promise<boolean> {
    return this.schemas.deleteOne({ tenant_id: tenantId, scenario_id: scenarioId });
  }
}
