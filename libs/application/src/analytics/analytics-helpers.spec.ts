import type { BehaviorEvent } from '@lemo/domain';
import { csvHeader, csvLine } from './event-csv';
import { quantileMs } from './serving-latency';
import { variantAggregates } from '../experiments/variant-aggregates';

describe('csvLine', () => {
  const event: BehaviorEvent = {
    tenant_id: 't1',
    event_id: 'e1',
    scenario_id: 'feed',
    user_id: 'u1',
    item_id: 'i1',
    action_type: 'click',
    timestamp: 1_700_000_000_000,
    received_at: 1_700_000_000_100,
    extra_data: { note: 'a "quoted", comma' },
  };

  it('writes one column per header field, empty when absent, nested payloads as quoted JSON', () => {
    const header = csvHeader().trim().split(',');
    const line = csvLine(event);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.startsWith('e1,feed,u1,i1,click,1700000000000,1700000000100,,,,,,,')).toBe(true);
    // The JSON column is quoted and its quotes doubled (RFC 4180).
    expect(line.trim().split(',"')[1]).toBe('{""note"":""a \\""quoted\\"", comma""}"');
    expect(header).toHaveLength(15);
  });

  it('defuses spreadsheet formulas in text fields', () => {
    expect(csvLine({ ...event, request_id: '=HYPERLINK("x")', extra_data: undefined })).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('quantileMs', () => {
  // 10 requests ≤ 10 ms, 10 more ≤ 20 ms, 0 more ≤ 50 ms, 1 in +Inf.
  const cumulative: Array<[number, number]> = [
    [0.01, 10],
    [0.02, 20],
    [0.05, 20],
    [Number.POSITIVE_INFINITY, 21],
  ];

  it('interpolates inside the bucket holding the rank, like histogram_quantile', () => {
    expect(quantileMs(cumulative, 21, 0.5)).toBeCloseTo(10.5, 9);
    expect(quantileMs(cumulative, 21, 0.25)).toBeCloseTo(5.25, 9);
  });

  it('answers the top finite bound for ranks in +Inf', () => {
    expect(quantileMs(cumulative, 21, 0.99)).toBeCloseTo(50, 9);
  });
});

describe('variantAggregates', () => {
  it('takes users from impressions, and clicking and converting users from their own action', () => {
    const aggregates = variantAggregates(
      [
        { experiment_group: '_holdout', action_type: 'impression', events: 5, users: 2 },
        { experiment_group: 'a', action_type: 'click', events: 4, users: 3 },
        { experiment_group: 'a', action_type: 'impression', events: 20, users: 10 },
        { experiment_group: 'a', action_type: 'like', events: 7, users: 7 },
        { experiment_group: 'b', action_type: 'purchase', events: 2, users: 1 },
      ],
      'purchase',
    );
    expect(aggregates).toEqual([
      { variant_id: '_holdout', users: 2, impressions: 5, clicks: 0, conversions: 0, clicking_users: 0, converting_users: 0 },
      { variant_id: 'a', users: 10, impressions: 20, clicks: 4, conversions: 0, clicking_users: 3, converting_users: 0 },
      { variant_id: 'b', users: 0, impressions: 0, clicks: 0, conversions: 2, clicking_users: 0, converting_users: 1 },
    ]);
  });
});
