import { EventStore, type AppendedPage, type AppendResult, type BehaviorEvent } from '@lemo/domain';
import { ItemSimilarityBuilder } from '@lemo/features';
import { InMemoryFeatureStore, interaction, strategyConfig, userContext } from '../../testing';
import { ItemCfRecall } from './item-cf.strategy';

/** Events in arrival order behind readAppended (the cursor is the position); nothing else is expected. */
class ArrivingEvents extends EventStore {
  private readonly events: BehaviorEvent[] = [];
  private sequence = 0;

  arrive(rows: ReadonlyArray<[userId: string, itemId: string]>): void {
    for (const [user_id, item_id] of rows) {
      this.sequence++;
      this.events.push({
        tenant_id: 't1',
        scenario_id: 's1',
        event_id: `e${this.sequence}`,
        user_id,
        item_id,
        action_type: 'like',
        timestamp: this.sequence,
        received_at: this.sequence,
      });
    }
  }

  async readAppended(_tenantId: string, _scenarioId: string, options: { after?: string; limit: number }): Promise<AppendedPage> {
    const from = Number(options.after ?? 0);
    const events = this.events.slice(from, from + options.limit);
    return { events, cursor: String(from + events.length) };
  }

  async count(): Promise<number> {
    return this.events.length;
  }

  append(): Promise<AppendResult> {
    throw new Error('ArrivingEvents.append: unexpected call');
  }
  recentByUser(): Promise<BehaviorEvent[]> {
    throw new Error('ArrivingEvents.recentByUser: unexpected call');
  }
  scan(): AsyncIterable<BehaviorEvent[]> {
    throw new Error('ArrivingEvents.scan: unexpected call');
  }
  deleteByUser(): Promise<number> {
    throw new Error('ArrivingEvents.deleteByUser: unexpected call');
  }
}

describe('item_cf recall after an incremental similarity update', () => {
  it('recalls the neighbours the update wrote, not the ones of the previous build', async () => {
    const events = new ArrivingEvents();
    const features = new InMemoryFeatureStore();
    const builder = new ItemSimilarityBuilder(events, features);
    const itemCf = new ItemCfRecall(features);
    const viewerOfA = userContext([interaction('a', 'like')]);
    const recallIds = async () => (await itemCf.recall(viewerOfA, strategyConfig('item_cf'), new Set(['a']))).map((c) => c.item_id);

    // Two users liked a with b, one liked a with c.
    events.arrive([
      ['u1', 'a'],
      ['u1', 'b'],
      ['u2', 'a'],
      ['u2', 'b'],
      ['u3', 'a'],
      ['u3', 'c'],
    ]);
    expect(await builder.build('t1', 's1', { shrinkage: 0 })).toMatchObject({ mode: 'full' });
    expect(await recallIds()).toEqual(['b', 'c']);

    // Then four users like a with c, and one brings a new item d.
    events.arrive([
      ['u4', 'a'],
      ['u4', 'c'],
      ['u5', 'a'],
      ['u5', 'c'],
      ['u6', 'a'],
      ['u6', 'c'],
      ['u7', 'c'],
      ['u7', 'a'],
      ['u7', 'd'],
    ]);
    expect(await builder.update('t1', 's1', { shrinkage: 0, maxDeltaShare: 10 })).toMatchObject({ mode: 'incremental' });
    expect(await recallIds()).toEqual(['c', 'b', 'd']);
  });
});
