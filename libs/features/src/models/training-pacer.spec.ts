import { TrainingPacer } from './training-pacer';

describe('TrainingPacer', () => {
  it('reports each change of percent or stage once, clamped to 0–100', async () => {
    const seen: string[] = [];
    const pacer = new TrainingPacer((pct, stage) => {
      seen.push(`${stage}:${pct}`);
    });
    for (const [pct, stage] of [[0, 'a'], [0.4, 'a'], [1, 'a'], [1, 'b'], [140, 'b']] as const) await pacer.report(pct, stage);
    expect(seen).toEqual(['a:0', 'a:1', 'b:1', 'b:100']);
  });

  it('yields to the event loop once a time slice is used up, and not before', async () => {
    let ran = false;
    setImmediate(() => (ran = true));
    await new TrainingPacer(undefined, 60_000).checkpoint(1, 'x');
    expect(ran).toBe(false);
    await new TrainingPacer(undefined, 0).checkpoint(1, 'x');
    expect(ran).toBe(true);
  });
});
