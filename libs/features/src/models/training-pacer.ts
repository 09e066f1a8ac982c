import type { TrainingProgress } from './implicit-model';

/** Longest stretch of synchronous training work between two yields to the event loop. */
const DEFAULT_SLICE_MS = 50;

/** Resolves on the next turn of the event loop, after pending I/O callbacks have run. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Lets a long synchronous training loop share the process: `checkpoint` is
 * cheap enough to call on every row, and only when a time slice is used up
 * does it report progress and yield, so health checks and requests keep being
 * served while a model trains. Progress is reported only when it changes.
 */
export class TrainingPacer {
  private sliceStart = performance.now();
  private lastPct = -1;
  private lastStage = '';

  constructor(
    private readonly onProgress?: TrainingProgress,
    private readonly sliceMs = DEFAULT_SLICE_MS,
  ) {}

  /** Yields (and reports) if the current slice is over; `pct` is 0–100 of the whole training. */
  async checkpoint(pct: number, stage: string): Promise<void> {
    if (performance.now() - this.sliceStart < this.sliceMs) return;
    await this.report(pct, stage);
    await yieldToEventLoop();
    this.sliceStart = performance.now();
  }

  /** Reports now (stage boundaries, the final 100). */
  async report(pct: number, stage: string): Promise<void> {
    const rounded = Math.max(0, Math.min(100, Math.floor(pct)));
    if (rounded === this.lastPct && stage === this.lastStage) return;
    this.lastPct = rounded;
    this.lastStage = stage;
    await this.onProgress?.(rounded, stage);
  }
}
