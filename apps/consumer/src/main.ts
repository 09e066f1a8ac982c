import 'reflect-metadata';
import { ItemEventsModule } from '@lemo/application';
import { runBackgroundApp } from '@lemo/runtime';

/** Applies item events from `item-events-{tenant_id}` (every tenant's topic) to the document store; written items get their vectors job. */
runBackgroundApp('consumer', () => [ItemEventsModule]);
