import type { TrackingSchemaRepository } from '../../src/index';
import { aTrackingSchema, isoAt } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

export function trackingSchemaRepositoryContract(name: string, create: HarnessFactory<TrackingSchemaRepository>): void {
  describe(`TrackingSchemaRepository contract (${name})`, () => {
    const repo = useHarness(create);

    it('returns a stored schema, and null for a scenario without one', async () => {
      await repo().put(aTrackingSchema('acme', 'home'));
      expect(await repo().get('acme', 'home')).toEqual(aTrackingSchema('acme', 'home'));
      expect(await repo().get('acme', 'detail')).toBeNull();
    });

    it('replaces the schema of a scenario on put', async () => {
      await repo().put(aTrackingSchema('acme', 'home'));
      const replacement = aTrackingSchema('acme', 'home', { mode: 'warn', allowed_actions: [], fields: [], updated_at: isoAt(1000) });
      await repo().put(replacement);
      expect(await repo().get('acme', 'home')).toEqual(replacement);
    });

    it('keeps schemas of tenants and scenarios apart', async () => {
      await repo().put(aTrackingSchema('acme', 'home', { mode: 'warn' }));
      await repo().put(aTrackingSchema('globex', 'home', { mode: 'reject' }));
      expect((await repo().get('acme', 'home'))?.mode).toBe('warn');
      expect(await repo().delete('globex', 'detail')).toBe(false);
      expect(await repo().delete('globex', 'home')).toBe(true);
      expect(await repo().get('acme', 'home')).not.toBeNull();
      expect(await repo().get('globex', 'home')).toBeNull();
      expect(await repo().delete('globex', 'home')).toBe(false);
    });
  });
}
