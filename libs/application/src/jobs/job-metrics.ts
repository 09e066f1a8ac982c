import { Injectable } from '@nestjs/common';
import { Gauge, Histogram } from 'prom-client';
import { JobQueue, QUEUE_NAMES } from '@lemo/domain';
import { Metrics } from '@lemo/platform-observability';

/**
 * Prometheus metrics of the background jobs of a process that runs them:
 * how long each run took by outcome (and `lemo_jobs_finished_total`), and
 * each queue's depth, read from the queue at every scrape (the shared Bull
 * queue on the cluster profile, so every worker reports the same depth).
 */
@Injectable()
export class JobMetrics {
  private readonly duration: Histogram<'queue' | 'name' | 'outcome'>;

  constructor(
    private readonly metrics: Metrics,
    queue: JobQueue,
  ) {
    const registers = [metrics.registry];
    this.duration = new Histogram({
      name: 'lemo_job_duration_seconds',
      help: 'Duration of one run of a background job (one attempt), by outcome',
      labelNames: ['queue', 'name', 'outcome'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    new Gauge({
      name: 'lemo_job_queue_depth',
      help: 'Jobs of a queue not finished yet, by state (waiting, delayed, active)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        // A queue that cannot be read now (Redis down) is left out of this scrape rather than failing it.
        const depths = await Promise.all(QUEUE_NAMES.map((name) => queue.depth(name).catch(() => null)));
        depths.forEach((depth, i) => {
          if (!depth) return;
          for (const [state, count] of Object.entries(depth)) this.set({ queue: QUEUE_NAMES[i], state }, count);
        });
      },
    });
  }

  /** Times one run of a job's handler. */
  async time<T>(queue: string, name: string, run: () => Promise<T>): Promise<T> {
    const stop = this.duration.startTimer({ queue, name });
    try {
      const result = await run();
      stop({ outcome: 'completed' });
      this.metrics.jobsFinished.inc({ queue, name, outcome: 'completed' });
      return result;
    } catch (error) {
      stop({ outcome: 'failed' });
      this.metrics.jobsFinished.inc({ queue, name, outcome: 'failed' });
      throw error;
    }
  }
}
