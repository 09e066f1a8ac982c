import type { HealthIndicator } from '../../src/index';
import { useHarness, type HarnessFactory } from '../harness';

export function healthIndicatorContract(name: string, create: HarnessFactory<HealthIndicator>): void {
  describe(`HealthIndicator contract (${name})`, () => {
    const health = useHarness(create);

    it('reports each dependency it talks to as up, under a distinct name', async () => {
      const report = await health().check();
      expect(report.length).toBeGreaterThan(0);
      for (const dependency of report) {
        expect(dependency.name).toMatch(/\S/);
        expect(dependency.ok).toBe(true);
      }
      expect(new Set(report.map((d) => d.name)).size).toBe(report.length);
    });
  });
}
