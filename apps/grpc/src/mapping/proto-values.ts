import { pageQuerySchema, toPageRequest } from '@lemo/application';
import { clientId, parseOrThrow, type PageRequest } from '@lemo/domain';
import type { recommenderCommon } from '@lemo/contracts';

/**
 * proto3 scalars have no presence: an unset string arrives as ''. The domain schemas mean
 * "absent" by undefined, so empty strings become undefined before validation.
 */
export const presentString = (value: string): string | undefined => (value === '' ? undefined : value);

/** Unset numbers arrive as 0; for fields where 0 is not a meaningful value, 0 means absent. */
export const presentNumber = (value: number): number | undefined => (value === 0 ? undefined : value);

/**
 * A proto `float` as the decimal the caller wrote: float32 carries ~7 significant digits, so 0.9
 * arrives as 0.8999999761581421; stored as such it would read back oddly over REST.
 */
export const decimalOfFloat = (value: number): number => Number(value.toPrecision(7));

/** ISO-8601 (how documents store times) → the Date ts-proto encodes as google.protobuf.Timestamp. */
export const timestampOf = (iso: string): Date => new Date(iso);

/** Paging of a request; an absent page or page_size takes REST's defaults (1 and 20). */
export function pageRequestOf(page: recommenderCommon.PageRequest | undefined): PageRequest {
  const query = parseOrThrow(pageQuerySchema, { page: presentNumber(page?.page ?? 0), page_size: presentNumber(page?.page_size ?? 0) }, 'page');
  return toPageRequest(query);
}

/**
 * The fields of a proto3 message that carry a value: defaults ('' / 0 / false / []) are dropped,
 * since on the wire they are indistinguishable from "not sent".
 */
export function setFieldsOf(message: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(message).filter(([, value]) => !(value === '' || value === 0 || value === false || value === undefined || (Array.isArray(value) && value.length === 0))));
}

/**
 * An identifier the request names a resource by (scenario_id, item_id…). REST takes these from the
 * path, where they cannot be empty; here an empty or malformed one is INVALID_ARGUMENT naming the field.
 */
export function idOf(value: string, field: string): string {
  return parseOrThrow(clientId(field), value, field);
}
