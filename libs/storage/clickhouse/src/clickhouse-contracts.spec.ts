import { analyticsStoreContract, healthIndicatorContract } from '@lemo/domain/testing';
import { clickHouseHarness } from '../testing/clickhouse-harness';

analyticsStoreContract(
  'ClickHouse',
  clickHouseHarness((storage) => storage.analytics),
);
// The same suite with the rollups never read: both ways of answering must agree with the contract.
analyticsStoreContract(
  'ClickHouse, events only',
  clickHouseHarness((storage) => storage.analytics, { readRollups: false }),
);
healthIndicatorContract(
  'ClickHouse',
  clickHouseHarness((storage) => storage.health),
);
