/** (row, item, score) triples on growable typed arrays, read back grouped by row. */
export class PairList {
  length = 0;
  private rows = new Int32Array(1024);
  private items = new Int32Array(1024);
  private scores = new Float64Array(1024);

  push(row: number, item: number, score: number): void {
    if (this.length === this.rows.length) {
      this.rows = grown(this.rows, new Int32Array(this.length * 2));
      this.items = grown(this.items, new Int32Array(this.length * 2));
      this.scores = grown(this.scores, new Float64Array(this.length * 2));
    }
    this.rows[this.length] = row;
    this.items[this.length] = item;
    this.scores[this.length] = score;
    this.length++;
  }

  /** Row r's pairs are items/scores[start[r] .. start[r+1]), in push order (counting sort); `longest` is the largest group. */
  groupByRow(rowCount: number): { start: Int32Array; items: Int32Array; scores: Float64Array; longest: number } {
    const start = new Int32Array(rowCount + 1);
    for (let k = 0; k < this.length; k++) start[this.rows[k] + 1]++;
    let longest = 0;
    for (let r = 0; r < rowCount; r++) {
      longest = Math.max(longest, start[r + 1]);
      start[r + 1] += start[r];
    }
    const items = new Int32Array(this.length);
    const scores = new Float64Array(this.length);
    const fill = start.slice(0, rowCount);
    for (let k = 0; k < this.length; k++) {
      const at = fill[this.rows[k]]++;
      items[at] = this.items[k];
      scores[at] = this.scores[k];
    }
    return { start, items, scores, longest };
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
