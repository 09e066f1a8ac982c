/**
 * Whether every arm reached the minimum sample the experiment was configured
 * with. Below it, results are shown but nothing is called significant: the
 * normal approximations behind the tests are rough on small samples, and
 * early looks at a running experiment are where most false "wins" come from.
 * (It does not make repeated looks safe; that needs sequential tests.)
 */
export function hasMinimumSample(unitsPerArm: readonly number[], minimumPerArm: number): boolean {
  return unitsPerArm.length > 0 && unitsPerArm.every((units) => units >= minimumPerArm);
}
