/** The message of anything thrown. Native errors may come from another realm (e.g. under Jest), where instanceof Error fails. */
export function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
