import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '@lemo/platform-observability';

/** Prometheus metrics of the stream jobs, labelled by job name. */
@Injectable()
export class StreamMetrics {
  readonly eventsHandled: Counter<'job'>;
  readonly eventsSkipped: Counter<'job' | 'reason'>;
  readonly batchRows: Histogram<'job'>;
  readonly rowsWritten: Counter<'job'>;
  readonly flushDuration: Histogram<'job' | 'outcome'>;
  readonly pendingRows: Gauge<'job'>;
  readonly running: Gauge<'job'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.eventsHandled = new Counter({ name: 'lemo_stream_events_handled_total', help: 'Bus messages a stream job handled (effects durable)', labelNames: ['job'], registers });
    this.eventsSkipped = new Counter({
      name: 'lemo_stream_events_skipped_total',
      help: 'Bus messages a stream job left out (not a behaviour event, or of another tenant than its topic)',
      labelNames: ['job', 'reason'],
      registers,
    });
    this.batchRows = new Histogram({
      name: 'lemo_stream_batch_rows',
      help: 'Rows per write of a batching stream job',
      labelNames: ['job'],
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 50_000],
      registers,
    });
    this.rowsWritten = new Counter({ name: 'lemo_stream_rows_written_total', help: 'Rows a stream job wrote to its store', labelNames: ['job'], registers });
    this.flushDuration = new Histogram({
      name: 'lemo_stream_flush_duration_seconds',
      help: 'Duration of a stream job write, by outcome',
      labelNames: ['job', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.pendingRows = new Gauge({ name: 'lemo_stream_pending_rows', help: 'Rows a stream job holds for its next write', labelNames: ['job'], registers });
    this.running = new Gauge({ name: 'lemo_stream_job_running', help: '1 while the stream job consumes in this process', labelNames: ['job'], registers });
  }
}
