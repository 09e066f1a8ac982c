import { ConfigError } from '@lemo/platform-config';

/**
 * Runs an app's start function; a configuration problem is printed as the
 * plain list it is (no stack trace) and the process exits non-zero.
 */
export function runProcess(name: string, start: () => Promise<void>): void {
  start().catch((error: unknown) => {
    const message = error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`${name} failed to start: ${message}\n`);
    process.exit(1);
  });
}
