import { Logger } from '@nestjs/common';
import { DomainError } from '@lemo/domain';
import { Kafka, logLevel, type LogEntry, type logCreator } from 'kafkajs';

interface Connectable {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
}

/**
 * kafkajs warns about this for every idempotent producer with bounded retries.
 * Bounded on purpose: the outbox relay is the unbounded retry loop, and a
 * send that never returns would block shutdown.
 */
const SILENCED = [/^Limiting retries for the idempotent producer/];

/** Routes kafkajs's own logs to the Nest logger (so they are structured and silenced with it). */
function nestLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, error } = log as { message: string; error?: unknown };
      if (SILENCED.some((pattern) => pattern.test(message))) return;
      const text = error === undefined || String(error) === message ? message : `${message}: ${String(error)}`;
      if (level === logLevel.ERROR) logger.error(text);
      else if (level === logLevel.WARN) logger.warn(text);
      else if (level === logLevel.INFO) logger.log(text);
      else logger.debug(text);
    };
}

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
}

export function createKafka(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    // Short and bounded: callers (outbox relay, topic refresh, health) retry on their own schedule.
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 5 },
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator(new Logger('kafkajs')),
  });
}

/**
 * A kafkajs client (admin or producer) connected on first use and dropped
 * after any failure, so the next use starts from a fresh connection (and, for
 * the idempotent producer, a fresh producer id) once the broker is back.
 */
export class LazyConnection<T extends Connectable> {
  private current?: Promise<T>;
  private closed = false;

  constructor(
    private readonly create: () => T,
    private readonly name: string,
  ) {}

  async use<R>(work: (client: T) => Promise<R>): Promise<R> {
    if (this.closed) throw new DomainError('UNAVAILABLE', `Kafka ${this.name} is closed`);
    const connecting = (this.current ??= this.connect());
    try {
      return await work(await connecting);
    } catch (error) {
      this.drop(connecting);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const connecting = this.current;
    this.current = undefined;
    await connecting?.then((client) => client.disconnect()).catch(() => undefined);
  }

  private async connect(): Promise<T> {
    const client = this.create();
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private drop(connecting: Promise<T>): void {
    if (this.current !== connecting) return;
    this.current = undefined;
    void connecting.then((client) => client.disconnect()).catch(() => undefined);
  }
}
