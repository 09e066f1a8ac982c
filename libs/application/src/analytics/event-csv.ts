import type { BehaviorEvent } from '@lemo/domain';

/** Flat columns of an exported event; nested payloads (context, scenario_data, extra_data) travel as JSON in their own column. */
const COLUMNS = [
  'event_id',
  'scenario_id',
  'user_id',
  'item_id',
  'action_type',
  'timestamp',
  'received_at',
  'experiment_id',
  'experiment_group',
  'request_id',
  'position',
  'value',
  'context',
  'scenario_data',
  'extra_data',
] as const;

export const csvHeader = (): string => `${COLUMNS.join(',')}\n`;

/** One RFC 4180 record: fields with a comma, quote or line break are quoted, quotes doubled; absent fields are empty. */
export function csvLine(event: BehaviorEvent): string {
  const record = event as unknown as Record<string, unknown>;
  return `${COLUMNS.map((column) => csvField(record[column])).join(',')}\n`;
}

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading =, +, - or @ would run as a formula when the file is opened in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
