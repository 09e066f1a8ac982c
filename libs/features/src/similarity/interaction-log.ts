/**
 * Append-only columns of (user index, item index, weight) triples on typed
 * arrays that double when full: a million events cost ~12 MB, not a million objects.
 */
export class InteractionLog {
  users: Int32Array;
  items: Int32Array;
  weights: Float32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.users = new Int32Array(initialCapacity);
    this.items = new Int32Array(initialCapacity);
    this.weights = new Float32Array(initialCapacity);
  }

  push(user: number, item: number, weight: number): void {
    if (this.length === this.users.length) this.grow();
    this.users[this.length] = user;
    this.items[this.length] = item;
    this.weights[this.length] = weight;
    this.length++;
  }

  private grow(): void {
    const capacity = this.users.length * 2;
    const users = new Int32Array(capacity);
    users.set(this.users);
    const items = new Int32Array(capacity);
    items.set(this.items);
    const weights = new Float32Array(capacity);
    weights.set(this.weights);
    this.users = users;
    this.items = items;
    this.weights = weights;
  }
}
