import { Injectable } from '@nestjs/common';
import type { EventResult } from '@lemo/application';

/**
 * Counts of the events this gRPC process has handled since it started, for BehaviorService.GetStats.
 * "published" are the events stored and handed to the event bus (Kafka on the cluster profile);
 * "publish failed" those of calls that failed after validation (the store or the bus was unreachable).
 */
@Injectable()
export class BehaviorStats {
  private received = 0;
  private published = 0;
  private publishFailed = 0;
  private rejected = 0;

  recordResults(results: EventResult[]): void {
    this.received += results.length;
    for (const result of results) {
      if (result.status === 'accepted') this.published += 1;
      else if (result.status === 'rejected') this.rejected += 1;
    }
  }

  /** A whole call refused by validation (TrackEvent's one event, or a batch over the size limit). */
  recordRejected(events: number): void {
    this.received += events;
    this.rejected += events;
  }

  recordFailure(events: number): void {
    this.received += events;
    this.publishFailed += events;
  }

  snapshot() {
    const handled = this.published + this.publishFailed;
    return {
      total_events: this.received,
      kafka_success: this.published,
      kafka_failed: this.publishFailed,
      rejected: this.rejected,
      // Nothing handled yet: no rate to report, rather than a perfect one.
      success_rate: handled === 0 ? 0 : this.published / handled,
    };
  }
}
