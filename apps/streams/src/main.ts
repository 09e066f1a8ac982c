import 'reflect-metadata';
import { StreamsModule } from '@lemo/application';
import { runBackgroundApp } from '@lemo/runtime';

/** Runs the stream jobs over behaviour events (the ClickHouse sink, …); /health and /metrics on HEALTH_PORT. */
runBackgroundApp('streams', () => [StreamsModule]);
