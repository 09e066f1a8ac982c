/**
 * Holm's step-down adjustment of p-values (Holm 1979): controls the chance of
 * any false positive among several variants compared with one control at the
 * nominal α, and is never less powerful than Bonferroni. Adjusted p-values,
 * in input order; NaN stays NaN and is not counted.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const tested = pValues.map((p, index) => ({ p, index })).filter(({ p }) => !Number.isNaN(p));
  tested.sort((a, b) => a.p - b.p);
  const adjusted = pValues.map(() => Number.NaN);
  let runningMax = 0;
  tested.forEach(({ p, index }, rank) => {
    runningMax = Math.max(runningMax, Math.min(1, (tested.length - rank) * p));
    adjusted[index] = runningMax;
  });
  return adjusted;
}
