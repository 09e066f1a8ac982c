import { Injectable } from '@nestjs/common';
import type { DependencyHealth } from '@lemo/domain';
import { AppConfig } from '@lemo/platform-config';
import { StorageHealth } from './storage.module';

export interface HealthReport {
  /** ok: all up; degraded: serving from fallbacks (cache, outbox, content recall) while a backend is down; down: cannot serve. */
  status: 'ok' | 'degraded' | 'down';
  service: string;
  profile: string;
  uptime_seconds: number;
  checks: DependencyHealth[];
}

/**
 * Without its document store the platform cannot serve; every other backend has a
 * fallback (events queue in the outbox, recall skips a strategy whose store is down),
 * so losing one degrades the service instead of taking it out of rotation.
 */
const CRITICAL = new Set(['sqlite', 'mongodb']);

const startedAt = Date.now();

@Injectable()
export class HealthService {
  constructor(
    private readonly storage: StorageHealth,
    private readonly config: AppConfig,
  ) {}

  async readiness(): Promise<HealthReport> {
    const checks = await this.storage.check();
    const failing = checks.filter((c) => !c.ok);
    const status = failing.length === 0 ? 'ok' : failing.some((c) => CRITICAL.has(c.name)) ? 'down' : 'degraded';
    return { status, service: this.config.serviceName, profile: this.config.profile, uptime_seconds: Math.round((Date.now() - startedAt) / 1000), checks };
  }
}
