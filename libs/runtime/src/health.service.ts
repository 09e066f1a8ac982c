import { Injectable } from '@nestjs/common';
import type { DependencyHealth } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { StorageHealth } from './storage.module';

export interface HealthReport {
  status: 'ok' | 'degraded';
  service: string;
  profile: string;
  uptime_seconds: number;
  checks: DependencyHealth[];
}

const startedAt = Date.now();

@Injectable()
export class HealthService {
  constructor(
    private readonly storage: StorageHealth,
    private readonly config: AppConfig,
  ) {}

  async readiness(): Promise<HealthReport> {
    const checks = await this.storage.check().catch((error: unknown) => [{ name: 'storage', ok: false, detail: String(error) }]);
    return {
      status: checks.every((c) => c.ok) ? 'ok' : 'degraded',
      service: this.config.serviceName,
      profile: this.config.profile,
      uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
      checks,
    };
  }
}
