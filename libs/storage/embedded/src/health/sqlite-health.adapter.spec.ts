import { openInMemory } from '../../testing/embedded-harness';

describe('SqliteHealthIndicator', () => {
  it('reports the database down once it is closed', async () => {
    const storage = openInMemory();
    expect(await storage.health.check()).toEqual([{ name: 'sqlite', ok: true, detail: ':memory:' }]);
    await storage.close();
    expect(await storage.health.check()).toEqual([{ name: 'sqlite', ok: false, detail: expect.stringMatching(/not open/) }]);
  });
});
