/** A row whose document is stored as JSON text. */
export interface BodyRow {
  body: string;
}

export const parseBody = <T>(row: BodyRow | undefined): T | null => (row ? (JSON.parse(row.body) as T) : null);

export const parseBodies = <T>(rows: readonly BodyRow[]): T[] => rows.map((row) => JSON.parse(row.body) as T);
