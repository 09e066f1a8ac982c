/**
 * Positive interactions as parallel columns, in time order: by timestamp, then
 * by arrival (the order the event store received them). That is the order
 * buildUserItemMatrix needs (a user's newest items are the ones kept), and it
 * can be rebuilt exactly by either route: sorting everything read from the
 * start, or merging what arrived since into the previous log. Both give the
 * same sequence, so the incremental update sees the very matrix a full build would.
 */
export class TimedLog {
  constructor(
    readonly users: Int32Array,
    readonly items: Int32Array,
    readonly weights: Float32Array,
    readonly timestamps: Float64Array,
  ) {}

  get length(): number {
    return this.users.length;
  }

  static empty(): TimedLog {
    return new TimedLog(new Int32Array(0), new Int32Array(0), new Float32Array(0), new Float64Array(0));
  }

  /** Columns in arrival order (for instance an ArrivalBatch's), stably sorted by timestamp. */
  static fromArrivals(users: Int32Array, items: Int32Array, weights: Float32Array, timestamps: Float64Array): TimedLog {
    const n = users.length;
    let sorted = true;
    for (let e = 1; e < n && sorted; e++) sorted = timestamps[e - 1] <= timestamps[e];
    if (sorted) return new TimedLog(users, items, weights, timestamps);
    const order = new Int32Array(n);
    for (let e = 0; e < n; e++) order[e] = e;
    // Ties keep arrival order: the comparator falls back to the position.
    order.sort((a, b) => timestamps[a] - timestamps[b] || a - b);
    const log = new TimedLog(new Int32Array(n), new Int32Array(n), new Float32Array(n), new Float64Array(n));
    for (let k = 0; k < n; k++) log.copyFrom(k, users, items, weights, timestamps, order[k]);
    return log;
  }

  /**
   * This log followed by `later` (events that arrived after all of this log's),
   * in time order: a linear merge in which, at equal timestamps, this log's
   * events come first, as they arrived first. A batch of late events (older
   * timestamps) lands in place.
   */
  merge(later: TimedLog): TimedLog {
    if (later.length === 0) return this;
    const n = this.length + later.length;
    const merged = new TimedLog(new Int32Array(n), new Int32Array(n), new Float32Array(n), new Float64Array(n));
    let a = 0;
    let b = 0;
    for (let k = 0; k < n; k++) {
      if (b >= later.length || (a < this.length && this.timestamps[a] <= later.timestamps[b])) {
        merged.copyFrom(k, this.users, this.items, this.weights, this.timestamps, a++);
      } else {
        merged.copyFrom(k, later.users, later.items, later.weights, later.timestamps, b++);
      }
    }
    return merged;
  }

  private copyFrom(at: number, users: Int32Array, items: Int32Array, weights: Float32Array, timestamps: Float64Array, from: number): void {
    this.users[at] = users[from];
    this.items[at] = items[from];
    this.weights[at] = weights[from];
    this.timestamps[at] = timestamps[from];
  }
}
