import 'reflect-metadata';
import { runBackgroundApp } from '@lemo/runtime';

/** Health and metrics only for now: the behaviour stream jobs (ClickHouse sink, hot scores, real-time metrics) arrive with the background-apps issue. */
runBackgroundApp('streams', () => []);
