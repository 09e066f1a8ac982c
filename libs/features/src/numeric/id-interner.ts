/**
 * Maps string ids to dense integer indices 0..size-1 (first seen, first
 * numbered), so numeric code can index typed arrays instead of string maps.
 */
export class IdInterner {
  private readonly indices = new Map<string, number>();
  private readonly ids: string[] = [];

  get size(): number {
    return this.ids.length;
  }

  /** The id's index, assigning the next one when the id is new. */
  intern(id: string): number {
    let index = this.indices.get(id);
    if (index === undefined) {
      index = this.ids.length;
      this.indices.set(id, index);
      this.ids.push(id);
    }
    return index;
  }

  /** The id's index, or -1 when it was never interned. */
  indexOf(id: string): number {
    return this.indices.get(id) ?? -1;
  }

  idAt(index: number): string {
    return this.ids[index];
  }
}
