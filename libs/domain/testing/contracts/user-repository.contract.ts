import type { UserRepository } from '../../src/index';
import { aUser, isoAt } from '../fixtures';
import { useHarness, type HarnessFactory } from '../harness';

export function userRepositoryContract(name: string, create: HarnessFactory<UserRepository>): void {
  describe(`UserRepository contract (${name})`, () => {
    const repo = useHarness(create);

    it('returns an upserted user as stored, and null for an unknown id', async () => {
      const user = aUser('acme', 'u1', { attributes: { vip: true, tags: ['a', 'b'], nested: { level: 3 } } });
      await repo().upsert(user);
      expect(await repo().get('acme', 'u1')).toEqual(user);
      expect(await repo().get('acme', 'u2')).toBeNull();
    });

    it('replaces a user on a second upsert', async () => {
      await repo().upsert(aUser('acme', 'u1'));
      await repo().upsert(aUser('acme', 'u1', { attributes: { city: 'Hangzhou' }, updated_at: isoAt(1000) }));
      expect(await repo().get('acme', 'u1')).toEqual(aUser('acme', 'u1', { attributes: { city: 'Hangzhou' }, updated_at: isoAt(1000) }));
      expect(await repo().count('acme')).toBe(1);
    });

    it('keeps tenants apart: same user id, separate users, separate counts and deletes', async () => {
      await repo().upsert(aUser('acme', 'u1', { attributes: { owner: 'acme' } }));
      await repo().upsert(aUser('acme', 'u2'));
      await repo().upsert(aUser('globex', 'u1', { attributes: { owner: 'globex' } }));
      expect((await repo().get('globex', 'u1'))?.attributes).toEqual({ owner: 'globex' });
      expect(await repo().count('acme')).toBe(2);
      expect(await repo().count('globex')).toBe(1);
      expect(await repo().delete('globex', 'u2')).toBe(false);
      expect(await repo().delete('globex', 'u1')).toBe(true);
      expect((await repo().get('acme', 'u1'))?.attributes).toEqual({ owner: 'acme' });
    });

    it('deletes a user and reports whether it existed', async () => {
      await repo().upsert(aUser('acme', 'u1'));
      expect(await repo().delete('acme', 'u1')).toBe(true);
      expect(await repo().get('acme', 'u1')).toBeNull();
      expect(await repo().delete('acme', 'u1')).toBe(false);
      expect(await repo().count('acme')).toBe(0);
    });
  });
}
