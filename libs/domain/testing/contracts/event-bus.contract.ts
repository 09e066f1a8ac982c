import { DEFAULT_TOPIC_TEMPLATES, topicFor, topicPattern, type BusMessage, type EventBus, type Subscription } from '../../src/index';
import { eventually, gate, sleep } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';

/** Long enough for an adapter's redelivery delay after a failed handler. */
const REDELIVERY_TIMEOUT_MS = 15_000;
/** How long to wait before concluding that something was not delivered. */
const QUIET_MS = 300;

/**
 * Messages numbered `from`…, spread over `keys` keys. The port orders messages
 * per key only (a partitioned bus delivers keys of different partitions in any
 * interleaving, and one key's messages may reach the handler in separate
 * calls), so the assertions below compare per key, or as sets.
 */
const numbered = (topic: string, from: number, count: number, keys = 3) =>
  Array.from({ length: count }, (_, i) => ({ topic, key: `k${(from + i) % keys}`, value: { n: from + i } }));

const valuesOf = (messages: readonly BusMessage[], topic?: string) =>
  messages.filter((m) => topic === undefined || m.topic === topic).map((m) => (m.value as { n: number }).n);

const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);
/** Distinct values received, ascending: delivery is at least once, so duplicates are allowed. */
const distinctValuesOf = (messages: readonly BusMessage[], topic?: string) => ascending([...new Set(valuesOf(messages, topic))]);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/**
 * The port's ordering promise: per topic and key, first deliveries come in
 * publish order (a redelivered message may reappear later; that is not a reorder).
 */
function expectOrderPerKey(received: readonly BusMessage[]): void {
  const firstSeen = new Map<string, number[]>();
  const seen = new Set<string>();
  for (const message of received) {
    const [n] = valuesOf([message]);
    const id = `${message.topic}\u0000${n}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const stream = `${message.topic}\u0000${message.key}`;
    firstSeen.set(stream, [...(firstSeen.get(stream) ?? []), n]);
  }
  for (const [stream, values] of firstSeen) expect({ stream, values }).toEqual({ stream, values: ascending(values) });
}

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

    it('delivers every message at least once with its key, value and headers, in publish order per key', async () => {
      const { received, handler } = recorder();
      await subscribe(/^orders-/, 'g1', handler);
      await bus().publish(numbered('orders-a', 0, 10));
      await bus().publish([...numbered('orders-b', 0, 5), ...numbered('orders-a', 10, 10)]);
      await bus().publish([{ topic: 'orders-a', key: 'user-7', value: { n: 20, nested: ['x'] }, headers: { 'x-request-id': 'req-1' } }]);
      await eventually(() => {
        expect(distinctValuesOf(received, 'orders-a')).toEqual(range(0, 21));
        expect(distinctValuesOf(received, 'orders-b')).toEqual(range(0, 5));
      });
      expectOrderPerKey(received);
      // A message keeps its key: every k<i> key carries exactly the values ≡ i (mod 3).
      for (const message of received.filter((m) => m.key !== 'user-7')) expect(message.key).toBe(`k${valuesOf([message])[0] % 3}`);
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
      await eventually(() => expect(distinctValuesOf(received)).toEqual([0, 1, 2]));
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
      await eventually(() => expect(distinctValuesOf(received)).toEqual([0]));
      await sleep(QUIET_MS);
      expect(distinctValuesOf(received)).toEqual([0]);
      expect(new Set(received.map((m) => m.topic))).toEqual(new Set([topicFor(DEFAULT_TOPIC_TEMPLATES.behaviors, 'acme')]));
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
        // The failed call's messages come again, and every message is delivered (keys may arrive in separate calls).
        await eventually(() => {
          expect(attempts.length).toBeGreaterThanOrEqual(2);
          expect(attempts.slice(1).flat()).toEqual(expect.arrayContaining(attempts[0]));
          expect(ascending([...new Set(attempts.flat())])).toEqual([0, 1, 2]);
        }, REDELIVERY_TIMEOUT_MS);
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
      // One key: a member may take one key's batch at a time, and this one never finishes its first.
      await bus().publish(numbered('orders-a', 0, 3, 1));
      await eventually(() => expect(firstSeen).toEqual([0, 1, 2]));
      const closing = first.close();
      held.fail(new Error('process stopping'));
      await closing;
      const { received, handler } = recorder();
      await subscribe(/^orders-a$/, 'g1', handler);
      await eventually(() => expect(distinctValuesOf(received)).toEqual([0, 1, 2]));
      expectOrderPerKey(received);
    });

    it('resumes a group after its committed offset; other groups are independent', async () => {
      const first = recorder();
      const subscription = await subscribe(/^orders-a$/, 'g1', first.handler);
      await bus().publish(numbered('orders-a', 0, 5));
      await eventually(() => expect(distinctValuesOf(first.received)).toEqual([0, 1, 2, 3, 4]));
      await subscription.close();
      await bus().publish(numbered('orders-a', 5, 3));
      const resumed = recorder();
      await subscribe(/^orders-a$/, 'g1', resumed.handler);
      const other = recorder();
      await subscribe(/^orders-a$/, 'g2', other.handler);
      await eventually(() => expect(distinctValuesOf(resumed.received)).toEqual([5, 6, 7]));
      await eventually(() => expect(distinctValuesOf(other.received)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]));
      await sleep(QUIET_MS);
      // Committed messages are not delivered to the group again.
      expect(distinctValuesOf(resumed.received)).toEqual([5, 6, 7]);
      expectOrderPerKey(other.received);
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
