import { selectTop } from '@lemo/features';

const INITIAL_CAPACITY = 64;

/**
 * Sums scores per item id on typed arrays: one slot per distinct id (first
 * added, first numbered), its total, its biggest single contribution and an
 * integer reference to where that came from (a source item, a strategy…),
 * plus a bit mask of contributors. No object per contribution.
 */
export class ScoreAccumulator {
  private readonly slots = new Map<string, number>();
  private readonly ids: string[] = [];
  private totals = new Float64Array(INITIAL_CAPACITY);
  private bestValues = new Float64Array(INITIAL_CAPACITY);
  private bestRefs = new Int32Array(INITIAL_CAPACITY);
  private masks = new Int32Array(INITIAL_CAPACITY);

  get size(): number {
    return this.ids.length;
  }

  /** Adds `value` to the id's total; `bit` (0-30) marks the contributor in the mask. Returns the slot. */
  add(id: string, value: number, ref: number, bit = -1): number {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if (slot === this.totals.length) this.grow();
      this.slots.set(id, slot);
      this.ids.push(id);
      this.totals[slot] = value;
      this.bestValues[slot] = value;
      this.bestRefs[slot] = ref;
    } else {
      this.totals[slot] += value;
      if (value > this.bestValues[slot]) {
        this.bestValues[slot] = value;
        this.bestRefs[slot] = ref;
      }
    }
    if (bit >= 0) this.masks[slot] |= 1 << bit;
    return slot;
  }

  id(slot: number): string {
    return this.ids[slot];
  }

  total(slot: number): number {
    return this.totals[slot];
  }

  bestRef(slot: number): number {
    return this.bestRefs[slot];
  }

  mask(slot: number): number {
    return this.masks[slot];
  }

  /** Up to `limit` slots, highest total first; ties go to the id added first. */
  top(limit: number): Int32Array {
    const count = this.ids.length;
    const slots = new Int32Array(count);
    for (let i = 0; i < count; i++) slots[i] = i;
    const kept = selectTop(slots, this.totals.slice(0, count), count, limit);
    return slots.subarray(0, kept);
  }

  private grow(): void {
    const capacity = this.totals.length * 2;
    this.totals = copyInto(new Float64Array(capacity), this.totals);
    this.bestValues = copyInto(new Float64Array(capacity), this.bestValues);
    this.bestRefs = copyInto(new Int32Array(capacity), this.bestRefs);
    this.masks = copyInto(new Int32Array(capacity), this.masks);
  }
}

function copyInto<T extends Float64Array | Int32Array>(target: T, source: T): T {
  target.set(source);
  return target;
}
