import type { DependencyHealth } from '@lemo/domain';
import { loadConfig } from '@lemo/platform-config';
import { HealthService } from './health.service';
import type { StorageHealth } from './storage.module';

const serviceWith = (checks: DependencyHealth[]) => new HealthService({ check: async () => checks } as StorageHealth, loadConfig({}));

describe('HealthService', () => {
  it('is ok when every backend answers', async () => {
    expect((await serviceWith([{ name: 'mongodb', ok: true }, { name: 'kafka', ok: true }]).readiness()).status).toBe('ok');
  });

  it('degrades, not fails, when a backend with a fallback is down', async () => {
    expect((await serviceWith([{ name: 'mongodb', ok: true }, { name: 'kafka', ok: false }]).readiness()).status).toBe('degraded');
  });

  it('is down without its document store', async () => {
    expect((await serviceWith([{ name: 'mongodb', ok: false }, { name: 'redis', ok: true }]).readiness()).status).toBe('down');
  });
});
