export interface DependencyHealth {
  name: string;
  ok: boolean;
  detail?: string;
}

/** Adapters that talk to something that can be down report it here for readiness. */
export abstract class HealthIndicator {
  abstract check(): Promise<DependencyHealth[]>;
}
