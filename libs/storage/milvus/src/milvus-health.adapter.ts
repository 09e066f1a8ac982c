import { HealthIndicator, type DependencyHealth } from '@lemo/domain';
import { LoadState, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { milvusCall, toDomainError } from './milvus-errors';

/**
 * Readiness of Milvus for this process: the server reports itself healthy
 * (CheckHealth, no data touched) and the vector collection is loaded, i.e.
 * searchable. Never throws: a failure is a report with ok=false.
 */
export class MilvusHealthIndicator extends HealthIndicator {
  constructor(
    private readonly client: MilvusClient,
    private readonly collection: string,
  ) {
    super();
  }

  async check(): Promise<DependencyHealth[]> {
    return [{ name: 'milvus', ...(await this.probe()) }];
  }

  private async probe(): Promise<Omit<DependencyHealth, 'name'>> {
    try {
      const health = await this.client.checkHealth();
      if (!health.isHealthy) return { ok: false, detail: `unhealthy: ${health.reasons.join('; ') || 'no reason given'}` };
      const { state } = await milvusCall('getLoadState', () => this.client.getLoadState({ collection_name: this.collection }));
      if (state !== LoadState.LoadStateLoaded) return { ok: false, detail: `collection '${this.collection}' is ${state}` };
      return { ok: true, detail: `collection '${this.collection}' loaded` };
    } catch (error) {
      return { ok: false, detail: toDomainError('checkHealth', error).message };
    }
  }
}
