import { DEFAULT_TOPIC_TEMPLATES, topicFor, topicPattern, type BusMessage, type EventBus, type Subscription } from '../../src/index';
import { eventually, gate, sleep } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';

/** Long enough for an adapter's redelivery delay after a failed handler. */
const REDELIVERY_TIMEOUT_MS = 15_000;
/** How long to wait before concluding that something was not delivered. */
const QUIET_MS = 300;

const numbered = (topic: string, from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ topic, key: `k${(from + i) % 3}`, value: { n: from + i } }));

const valuesOf = (messages: readonly BusMessage[], topic?: string) =>
  messages.filter((m) => topic === undefined || m.topic === topic).map((m) => (m.value as { n: number }).n);

/** Records what a subscription receives. */
function recorder() {
  const received: BusMessage[] = [];
  return { received, handler: async (messages: BusMessage[]) => void received.push(...messages) };
}

export function eventBusContract(name: string, create: HarnessFactory<EventBus>): void {
  describe(`EventBus contract (${name})`, () => {
    const subscriptions: Subscription[] = [];
    // Declared before the harness so that (hooks running in declaration order) subscriptions close before the bus.
    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    });
    const bus = useHarness(create);
    const subscribe = async (pattern: RegExp, groupId: string, handler: (messages: BusMessage[]) => Promise<void>) => {
      const subscription = await bus().subscribe(pattern, groupId, handler);
      subscriptions.push(subscription);
      return subscription;
    };

    it('delivers every message with its key, value and headers, in publish order per topic', async () => {
      const { received, handler } = recorder();
      await subscribe(/^orders-/, 'g1', handler);
      await bus().publish(numbered('orders-a', 0, 10));
      await bus().publish([...numbered('orders-b', 0, 5), ...numbered('orders-a', 10, 10)]);
      await bus().publish([{ topic: 'orders-a', key: 'user-7', value: { n: 20, nested: ['x'] }, headers: { 'x-request-id': 'req-1' } }]);
      await eventually(() => expect(received).toHaveLength(26));
      expect(valuesOf(received, 'orders-a')).toEqual(Array.from({ length: 21 }, (_, i) => i));
      expect(valuesOf(received, 'orders-b')).toEqual([0, 1, 2, 3, 4]);
      expect(received.find((m) => valuesOf([m])[0] === 20 && m.topic === 'orders-a')).toEqual({
        topic: 'orders-a',
        key: 'user-7',
        value: { n: 20, nested: ['x'] },
        headers: { 'x-request-id': 'req-1' },
      });
      expect(received.find((m) => m.topic === 'orders-b')?.headers).toEqual({});
    });

    it('lets a new group read what was published before it subscribed', async () => {
      await bus().publish(numbered('orders-a', 0, 3));
      const { received, handler } = recorder();
      await subscribe(/^orders-a$/, 'late-group', handler);
      await eventually(() => expect(valuesOf(received)).toEqual([0, 1, 2]));
    });

    it("picks up topics created after subscribing (a new tenant's topic)", async () => {
      const { received, handler } = recorder();
      await subscribe(topicPattern(DEFAULT_TOPIC_TEMPLATES.behaviors), 'streams', handler);
      await bus().publish(numbered(topicFor(DEFAULT_TOPIC_TEMPLATES.behaviors, 'brand-new'), 0, 2));
      await eventually(() => expect(received.map((m) => m.topic)).toEqual(['user-behaviors-brand-new', 'user-behaviors-brand-new']));
    });

    it("never delivers a topic the pattern does not match, e.g. another tenant's", async () => {
      const { received, handler } = recorder();
      await subscribe(new RegExp(`^${topicFor(DEFAULT_TOPIC_TEMPLATES.behaviors, 'acme')}$`), 'g1', handler);
      await bus().publish([
        ...numbered(topicFor(DEFAULT_TOPIC_TEMPLATES.behaviors, 'acme2'), 100, 1),
        ...numbered(topicFor(DEFAULT_TOPIC_TEMPLATES.items, 'acme'), 200, 1),
        ...numbered(topicFor(DEFAULT_TOPIC_TEMPLATES.behaviors, 'acme'), 0, 1),
      ]);
      await eventually(() => expect(valuesOf(received)).toEqual([0]));
      await sleep(QUIET_MS);
      expect(valuesOf(received)).toEqual([0]);
    });

    it(
      'redelivers messages whose handler threw (at least once)',
      async () => {
        const attempts: number[][] = [];
        await subscribe(/^orders-a$/, 'g1', async (messages) => {
          attempts.push(valuesOf(messages));
          if (attempts.length === 1) throw new Error('transient failure');
        });
        await bus().publish(numbered('orders-a', 0, 3));
        await eventually(() => expect(attempts.length).toBeGreaterThanOrEqual(2), REDELIVERY_TIMEOUT_MS);
        expect(attempts[0]).toEqual([0, 1, 2]);
        expect(attempts.slice(1).flat()).toEqual(expect.arrayContaining([0, 1, 2]));
      },
      REDELIVERY_TIMEOUT_MS + 5000,
    );

    it('commits only after the handler resolved: a member that stops mid-batch leaves it to the next member', async () => {
      const held = gate();
      const firstSeen: number[] = [];
      const first = await subscribe(/^orders-a$/, 'g1', async (messages) => {
        firstSeen.push(...valuesOf(messages));
        await held.promise;
      });
      await bus().publish(numbered('orders-a', 0, 3));
      await eventually(() => expect(firstSeen).toEqual([0, 1, 2]));
      const closing = first.close();
      held.fail(new Error('process stopping'));
      await closing;
      const { received, handler } = recorder();
      await subscribe(/^orders-a$/, 'g1', handler);
      await eventually(() => expect(valuesOf(received)).toEqual([0, 1, 2]));
    });

    it('resumes a group after its committed offset; other groups are independent', async () => {
      const first = recorder();
      const subscription = await subscribe(/^orders-a$/, 'g1', first.handler);
      await bus().publish(numbered('orders-a', 0, 5));
      await eventually(() => expect(valuesOf(first.received)).toEqual([0, 1, 2, 3, 4]));
      await subscription.close();
      await bus().publish(numbered('orders-a', 5, 3));
      const resumed = recorder();
      await subscribe(/^orders-a$/, 'g1', resumed.handler);
      const other = recorder();
      await subscribe(/^orders-a$/, 'g2', other.handler);
      await eventually(() => expect(valuesOf(resumed.received)).toEqual([5, 6, 7]));
      await eventually(() => expect(valuesOf(other.received)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]));
      await sleep(QUIET_MS);
      expect(valuesOf(resumed.received)).toEqual([5, 6, 7]);
    });

    it('stops delivering once the subscription is closed', async () => {
      const { received, handler } = recorder();
      const subscription = await subscribe(/^orders-a$/, 'g1', handler);
      await bus().publish(numbered('orders-a', 0, 1));
      await eventually(() => expect(received).toHaveLength(1));
      await subscription.close();
      await bus().publish(numbered('orders-a', 1, 2));
      await sleep(QUIET_MS);
      expect(received).toHaveLength(1);
    });
  });
}
