import { TemplateRepository, type ConfigTemplate } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { StoredCollection, type CollectionSpec, type StoredFilter } from '../connection/stored-collection';

/** System templates are stored with tenant_id null, which sorts before every tenant id. */
const TEMPLATES: CollectionSpec = {
  name: 'config_templates',
  entity: 'template',
  indexes: [[{ tenant_id: 1, template_id: 1 }, { unique: true }]],
};

/** What a tenant may see: its own templates and the system ones. */
const visibleTo = (tenantId: string): StoredFilter => ({ tenant_id: { $in: [tenantId, null] } });

export class MongoTemplateRepository extends TemplateRepository {
  private readonly templates: StoredCollection<ConfigTemplate>;

  constructor(connection: Connection) {
    super();
    this.templates = new StoredCollection(connection, TEMPLATES);
  }

  upsert(template: ConfigTemplate): Promise<void> {
    return this.templates.upsertOne({ tenant_id: template.tenant_id, template_id: template.template_id }, template);
  }

  /** The tenant's own template wins over a system template with the same id (null sorts first, so descending puts the tenant's first). */
  get(tenantId: string, templateId: string): Promise<ConfigTemplate | null> {
    return this.templates.findOne({ ...visibleTo(tenantId), template_id: templateId }, { tenant_id: -1 });
  }

  /** System templates first, then the tenant's, each by id. */
  list(tenantId: string): Promise<ConfigTemplate[]> {
    return this.templates.find(visibleTo(tenantId), { sort: { tenant_id: 1, template_id: 1 } });
  }

  /** A tenant id is a non-empty string, so the filter never matches a system template (tenant_id null). */
  delete(tenantId: string, templateId: string): Promise<boolean> {
    return this.templates.deleteOne({ tenant_id: { $eq: tenantId }, template_id: templateId });
  }
}
