export interface RowBatcherOptions {
  /** A batch is written as soon as it holds this many rows. */
  maxRows: number;
  /** …or once its first row waited this long, ms. */
  maxWaitMs: number;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Gathers the rows of concurrent bus deliveries into one write: a batch is
 * written at `maxRows` rows or `maxWaitMs` after its first row, whichever
 * comes first. `add` resolves only once the write holding its rows succeeded
 * (and rejects with its error), so a bus handler that awaits it lets the
 * offsets be committed after the insert, never before. Writes run one at a
 * time, in order; rows arriving meanwhile form the next batch.
 */
export class RowBatcher<T> {
  private rows: T[] = [];
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The write in flight (never rejects: its error goes to its waiters). */
  private writing: Promise<void> = Promise.resolve();
  /** While draining (pause, stop, shutdown), rows are written as they come instead of waiting for company. */
  private draining = false;

  constructor(
    private readonly write: (rows: T[]) => Promise<void>,
    private readonly options: RowBatcherOptions,
  ) {}

  /** Rows held, not yet handed to a write. */
  get pendingRows(): number {
    return this.rows.length;
  }

  add(rows: readonly T[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    const written = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.rows.push(...rows);
    if (this.draining || this.rows.length >= this.options.maxRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.maxWaitMs);
    return written;
  }

  /** Hands what is held to a write now; resolves when every write so far has finished (whatever its outcome). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rows.length === 0) return this.writing;
    const rows = this.rows;
    const waiters = this.waiters;
    this.rows = [];
    this.waiters = [];
    this.writing = this.writing
      .then(() => this.write(rows))
      .then(
        () => waiters.forEach((waiter) => waiter.resolve()),
        (error: unknown) => waiters.forEach((waiter) => waiter.reject(error)),
      );
    return this.writing;
  }

  /** Writes what is held and keeps writing rows as they come, until `hold()`. */
  drain(): Promise<void> {
    this.draining = true;
    return this.flush();
  }

  /** Batches are held for company again (after a resume). */
  hold(): void {
    this.draining = false;
  }
}
