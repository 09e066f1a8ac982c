import { DomainError } from '@lemo/domain';
import { InteractionLog } from '../similarity/interaction-log';
import { buildUserItemMatrix } from '../similarity/user-item-matrix';
import { DEFAULT_EASE_PARAMS, EaseTrainer } from './ease';
import { historyOf } from './implicit-model';
import { history, inClusterShare, plantedClusters } from './testing/planted-clusters';

/** Inverse by Gauss–Jordan elimination with partial pivoting: slow, obviously correct. */
function bruteForceInverse(matrix: number[][]): number[][] {
  const n = matrix.length;
  const rows = matrix.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(rows[r][c]) > Math.abs(rows[pivot][c])) pivot = r;
    [rows[c], rows[pivot]] = [rows[pivot], rows[c]];
    const scale = rows[c][c];
    rows[c] = rows[c].map((v) => v / scale);
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const factor = rows[r][c];
      rows[r] = rows[r].map((v, j) => v - factor * rows[c][j]);
    }
  }
  return rows.map((row) => row.slice(n));
}

describe('EaseTrainer', () => {
  // 4 users × 5 items, binary: the paper's closed form computed by hand below.
  const pairs = [
    [0, 0], [0, 1], [0, 2],
    [1, 1], [1, 2],
    [2, 2], [2, 3], [2, 4],
    [3, 0], [3, 4],
  ];
  const tiny = () => {
    const log = new InteractionLog();
    for (const [u, i] of pairs) log.push(u, i, 2);
    return buildUserItemMatrix(log, 4, 5, 100);
  };

  it('matches B = I − P·diagMat(1/diag P) with P = (XᵀX + λI)⁻¹ computed by brute force, with diag(B) = 0', async () => {
    const lambda = 0.5;
    const model = await new EaseTrainer().train(tiny(), { lambda });
    const n = 5;
    const gram = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => pairs.filter(([u, a]) => a === i && pairs.some(([v, b]) => v === u && b === j)).length + (i === j ? lambda : 0)),
    );
    const p = bruteForceInverse(gram);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const expected = i === j ? 0 : -p[i][j] / p[j][j];
        expect(model.weights[i * n + j]).toBeCloseTo(expected, 5);
      }
    }
  });

  it('scores x_u·B, the same for a known user and for the same history folded in', async () => {
    const matrix = tiny();
    const model = await new EaseTrainer().train(matrix, { lambda: 1 });
    const known = new Float32Array(5);
    const folded = new Float32Array(5);
    model.scoreUser(0, historyOf(matrix, 0), known);
    model.scoreUser(-1, history([0, 1, 2]), folded);
    expect(Array.from(folded)).toEqual(Array.from(known));
    const expected = [0, 1, 2].reduce((sum, i) => sum + model.weights[i * 5 + 3], 0);
    expect(known[3]).toBeCloseTo(expected, 6);
  });

  it('ranks a user’s own cluster first (≥ 90% of the top 10)', async () => {
    const fixture = plantedClusters();
    // λ in proportion to this tiny data (≈ 10 interactions per item); a λ far below that overfits the noise items.
    const model = await new EaseTrainer().train(fixture.matrix, { lambda: 100 });
    expect(inClusterShare(model, fixture, (u) => historyOf(fixture.matrix, u))).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses a catalogue larger than max_items with VALIDATION_FAILED', async () => {
    const error = await new EaseTrainer().train(tiny(), { max_items: 4 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ field: 'params.max_items' }] });
    expect(DEFAULT_EASE_PARAMS.max_items).toBeGreaterThanOrEqual(10_000);
  });

  it('refuses an invalid lambda', async () => {
    await expect(new EaseTrainer().train(tiny(), { lambda: -1 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('reports progress from 0 to 100', async () => {
    const seen: number[] = [];
    await new EaseTrainer().train(tiny(), {}, (pct) => {
      seen.push(pct);
    });
    expect(seen[0]).toBe(0);
    expect(seen[seen.length - 1]).toBe(100);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
