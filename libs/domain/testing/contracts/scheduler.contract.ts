import type { Scheduler } from '../../src/index';
import { eventually, expectDomainError, sleep } from '../assertions';
import { useHarness, type HarnessFactory } from '../harness';

const EVERY_SECOND = '* * * * * *';
/** Ticks are one second apart: give several of them time to happen. */
const TICKS_TIMEOUT_MS = 8000;

/**
 * The harness gives two scheduler replicas sharing one store (two beat
 * processes). Schedules here use a leading seconds field so that ticks come
 * fast enough for a test; adapters must accept it.
 */
export function schedulerContract(name: string, create: HarnessFactory<[Scheduler, Scheduler]>): void {
  describe(`Scheduler contract (${name})`, () => {
    const replicas = useHarness(create);

    it(
      'fires each tick exactly once across two replicas, with the tick time',
      async () => {
        const fired: Array<{ replica: number; tickAt: number; firedAt: number }> = [];
        const [first, second] = replicas();
        for (const [replica, scheduler] of [first, second].entries()) {
          scheduler.schedule(
            { name: 'refresh', cron: EVERY_SECOND },
            async (tickAt) => void fired.push({ replica, tickAt: tickAt.getTime(), firedAt: Date.now() }),
          );
        }
        await eventually(() => expect(new Set(fired.map((f) => f.tickAt)).size).toBeGreaterThanOrEqual(3), TICKS_TIMEOUT_MS, 50);
        await Promise.all([first.close(), second.close()]);
        const ticks = fired.map((f) => f.tickAt);
        expect(new Set(ticks).size).toBe(ticks.length);
        for (const { tickAt, firedAt } of fired) {
          expect(tickAt % 1000).toBe(0);
          expect(firedAt).toBeGreaterThanOrEqual(tickAt);
        }
      },
      TICKS_TIMEOUT_MS + 2000,
    );

    it(
      'keeps schedules apart: each name fires on its own cadence',
      async () => {
        const [scheduler] = replicas();
        const ticks: Record<string, number[]> = { every: [], even: [] };
        scheduler.schedule({ name: 'every', cron: EVERY_SECOND }, async (at) => void ticks.every.push(at.getTime()));
        scheduler.schedule({ name: 'even', cron: '*/2 * * * * *', timezone: 'Asia/Shanghai' }, async (at) => void ticks.even.push(at.getTime()));
        await eventually(() => expect(ticks.even.length).toBeGreaterThanOrEqual(2), TICKS_TIMEOUT_MS, 50);
        await scheduler.close();
        expect(ticks.every.length).toBeGreaterThanOrEqual(3);
        for (const tick of ticks.even) expect((tick / 1000) % 2).toBe(0);
      },
      TICKS_TIMEOUT_MS + 2000,
    );

    it('rejects an invalid cron expression or time zone with VALIDATION_FAILED', async () => {
      const [scheduler] = replicas();
      await expectDomainError(() => scheduler.schedule({ name: 'bad', cron: 'every tuesday' }, async () => undefined), 'VALIDATION_FAILED');
      await expectDomainError(() => scheduler.schedule({ name: 'bad-minute', cron: '61 * * * *' }, async () => undefined), 'VALIDATION_FAILED');
      await expectDomainError(
        () => scheduler.schedule({ name: 'bad-zone', cron: '0 3 * * *', timezone: 'Mars/Olympus_Mons' }, async () => undefined),
        'VALIDATION_FAILED',
      );
    });

    it(
      'stops firing once closed',
      async () => {
        const [scheduler] = replicas();
        let fires = 0;
        scheduler.schedule({ name: 'refresh', cron: EVERY_SECOND }, async () => void (fires += 1));
        await eventually(() => expect(fires).toBeGreaterThanOrEqual(1), TICKS_TIMEOUT_MS, 50);
        await scheduler.close();
        const afterClose = fires;
        await sleep(1500);
        expect(fires).toBe(afterClose);
      },
      TICKS_TIMEOUT_MS + 4000,
    );
  });
}
