import { UserRepository, type User } from '@lemo/domain';
import type { Connection } from 'mongoose';
import { StoredCollection, type CollectionSpec } from '../connection/stored-collection';

const USERS: CollectionSpec = {
  name: 'users',
  entity: 'user',
  indexes: [[{ tenant_id: 1, user_id: 1 }, { unique: true }]],
};

export class MongoUserRepository extends UserRepository {
  private readonly users: StoredCollection<User>;

  constructor(connection: Connection) {
    super();
    this.users = new StoredCollection(connection, USERS);
  }

  upsert(user: User): Promise<void> {
    return this.users.upsertOne({ tenant_id: user.tenant_id, user_id: user.user_id }, user);
  }

  get(tenantId: string, userId: string): Promise<User | null> {
    return this.users.findOne({ tenant_id: tenantId, user_id: userId });
  }

  delete(tenantId: string, userId: string): Promise<boolean> {
    return this.users.deleteOne({ tenant_id: tenantId, user_id: userId });
  }

  count(tenantId: string): Promise<number> {
    return this.users.count({ tenant_id: tenantId });
  }
}
