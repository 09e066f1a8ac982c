import 'reflect-metadata';
import { runBackgroundApp } from '@lemo/runtime';

/** Health and metrics only for now: the Kafka item-events consumer arrives with the background-apps issue. */
runBackgroundApp('consumer', () => []);
