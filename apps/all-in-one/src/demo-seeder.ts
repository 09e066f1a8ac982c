import { Inject, Injectable } from '@nestjs/common';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ItemsUseCase, ScenariosUseCase, TenantAdminUseCase, TrackBehaviorsUseCase } from '@lemo/application';
import { TenantRepository } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { LOGGER, type AppLogger } from '@lemo/platform-observability';
import { generateSyntheticDataset } from '@lemo/synthetic';

export const DEMO_TENANT = 'demo';
export const DEMO_SCENARIO = 'home_feed';
const BATCH = 1000;

export interface DemoSize {
  items: number;
  users: number;
  events: number;
}

export const DEMO_SIZE: DemoSize = { items: 2000, users: 500, events: 30_000 };

/**
 * Seeds the demo tenant once (a later start finds it and does nothing):
 * a scenario, a synthetic catalogue with categories and text, and users'
 * events with structure the recommender can find. Its API key secret is kept
 * in DATA_DIR so every start can print it.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly config: AppConfig,
    private readonly tenants: TenantRepository,
    private readonly admin: TenantAdminUseCase,
    private readonly scenarios: ScenariosUseCase,
    private readonly items: ItemsUseCase,
    private readonly behaviors: TrackBehaviorsUseCase,
    @Inject(LOGGER) private readonly logger: AppLogger,
  ) {}

  async seed(size: DemoSize = DEMO_SIZE): Promise<{ tenantId: string; apiKey: string | null; seeded: boolean }> {
    const keyFile = join(this.config.dataDir, 'demo-api-key');
    if (await this.tenants.get(DEMO_TENANT)) {
      return { tenantId: DEMO_TENANT, apiKey: existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : null, seeded: false };
    }
    const started = Date.now();
    await this.admin.createTenant({ tenant_id: DEMO_TENANT, name: 'Demo shop', quotas: {} });
    const { secret } = await this.admin.createApiKey(DEMO_TENANT, { name: 'demo', scopes: ['admin'] });
    writeFileSync(keyFile, `${secret}\n`, { mode: 0o600 });
    await this.scenarios.create(DEMO_TENANT, {
      scenario_id: DEMO_SCENARIO,
      name: 'Home feed',
      scenario_type: 'ecommerce',
      description: 'Demo personalised home feed',
      status: 'active',
    });
    const data = generateSyntheticDataset({ seed: 2024, ...size, scenarioId: DEMO_SCENARIO });
    for (let i = 0; i < data.items.length; i += BATCH) await this.items.batchUpsert(DEMO_TENANT, DEMO_SCENARIO, data.items.slice(i, i + BATCH));
    for (let i = 0; i < data.events.length; i += BATCH) await this.behaviors.track(DEMO_TENANT, data.events.slice(i, i + BATCH));
    this.logger.info({ tenant: DEMO_TENANT, items: data.items.length, users: data.userIds.length, events: data.events.length, ms: Date.now() - started }, 'demo tenant seeded');
    return { tenantId: DEMO_TENANT, apiKey: secret, seeded: true };
  }
}
