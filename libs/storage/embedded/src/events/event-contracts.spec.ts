import { Logger } from '@nestjs/common';
import { eventBusContract, eventStoreContract } from '@lemo/domain/testing';
import { inMemoryHarness } from '../../testing/embedded-harness';

beforeAll(() => Logger.overrideLogger(false));

eventStoreContract(
  'embedded SQLite',
  inMemoryHarness((storage) => storage.events),
);
eventBusContract(
  'embedded SQLite log',
  inMemoryHarness((storage) => storage.eventBus),
);
