import { DomainError } from '@lemo/domain';

/** The authenticated tenant of a call, and the check every request's tenant_id field goes through. */
export class Caller {
  constructor(readonly tenantId: string) {}

  /**
   * The tenant a request acts on. Empty means the caller's own; any other tenant is refused,
   * so a key of one tenant can never read or write another's data (as on REST, where the tenant
   * comes from the credential alone).
   */
  tenant(requested: string, field = 'tenant_id'): string {
    if (requested === '' || requested === this.tenantId) return this.tenantId;
    throw new DomainError('PERMISSION_DENIED', `${field}: '${requested}' is not the caller's tenant`, [{ field, message: `'${requested}' is not the caller's tenant` }]);
  }
}
