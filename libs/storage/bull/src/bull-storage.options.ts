import { DomainError } from '@lemo/domain';
import type { QueueOptions } from 'bull';

export interface BullStorageOptions {
  /** `redis://[user:password@]host:port[/db]`: Bull's queues and the scheduler's tick record live there. */
  redisUrl: string;
  /** Prefix of every key (default 'bull'): queues are `{prefix}:{queue}:…` as Bull lays them out. */
  prefix?: string;
  /** How often a running handler's context looks for a cancel request (default 1 s; progress reports look too). */
  cancelPollMs?: number;
  /** Finished jobs (completed, failed, cancelled) are kept for listings this long (default 7 days)… */
  keepFinishedSeconds?: number;
  /** …and at most this many per queue and outcome (default 10,000). */
  keepFinishedCount?: number;
  /**
   * How long a worker's lock on a running job lasts unless renewed (renewed every half of it while the
   * handler runs; default 30 s, Bull's). A job whose worker died is re-run once its lock has lapsed…
   */
  lockDurationMs?: number;
  /** …and a worker looks for such jobs this often, and once as it starts processing (default 30 s, Bull's). */
  stalledIntervalMs?: number;
}

export type ResolvedBullOptions = Required<BullStorageOptions>;

export const DEFAULT_BULL_OPTIONS: Omit<ResolvedBullOptions, 'redisUrl'> = {
  prefix: 'bull',
  cancelPollMs: 1000,
  keepFinishedSeconds: 7 * 24 * 3600,
  keepFinishedCount: 10_000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
};

export const BULL_STORAGE_OPTIONS = Symbol('BULL_STORAGE_OPTIONS');

/** Fills in the defaults and rejects what cannot work, as VALIDATION_FAILED naming the option. */
export function resolveOptions(options: BullStorageOptions): ResolvedBullOptions {
  const resolved: ResolvedBullOptions = { ...DEFAULT_BULL_OPTIONS, ...options };
  if (!/^rediss?:\/\//.test(resolved.redisUrl ?? '')) throw DomainError.invalid('redisUrl', 'must be a redis:// or rediss:// URL');
  if (!/^[\w.-]+$/.test(resolved.prefix)) throw DomainError.invalid('prefix', 'may contain only letters, digits, _ . -');
  for (const name of ['cancelPollMs', 'keepFinishedSeconds', 'keepFinishedCount', 'lockDurationMs', 'stalledIntervalMs'] as const) {
    if (!(Number.isInteger(resolved[name]) && resolved[name] > 0)) throw DomainError.invalid(name, 'must be a positive integer');
  }
  return resolved;
}

/** Name of the backoff strategy every queue registers: the port's "first delay, doubling" rule. */
export const DOUBLING_BACKOFF = 'doubling';

/**
 * Bull's own 'exponential' waits d·(2^n − 1) before retry n (d, 3d, 7d…);
 * the port promises d, 2d, 4d…, so every queue registers this strategy.
 */
const doubling = (attemptsMade: number, _error: Error, options: { delayMs: number }): number => options.delayMs * 2 ** (attemptsMade - 1);

/**
 * What every queue is created with, by BullModule or directly. A stalled job (its lock lapsed: the
 * process died, or blocked its event loop for a whole lock duration) goes back to waiting once; a
 * second stall fails it (maxStalledCount 1, Bull's default), so a job that kills its worker cannot loop.
 */
export const queueOptions = (options: ResolvedBullOptions): QueueOptions => ({
  prefix: options.prefix,
  settings: {
    backoffStrategies: { [DOUBLING_BACKOFF]: doubling },
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    maxStalledCount: 1,
  },
});
