import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ImplicitModel, ImplicitTrainer, UserItemMatrix } from './engine';
import { seededRandom } from '@lemo/synthetic';
import { runCli } from './cli';
import type { EvaluationResult } from './evaluate';
import type { StrategyDefinition } from './strategies';

/** Test-only model: scores every item by its training popularity (Σ weights of its column). */
class PopularityTrainer implements ImplicitTrainer {
  readonly algorithm = 'popularity';
  async train(matrix: UserItemMatrix): Promise<ImplicitModel> {
    const popularity = new Float32Array(matrix.items);
    for (let i = 0; i < matrix.items; i++) for (let k = matrix.itemPtr[i]; k < matrix.itemPtr[i + 1]; k++) popularity[i] += matrix.itemWeights[k];
    return { algorithm: this.algorithm, items: matrix.items, scoreUser: (_user, _history, out) => out.set(popularity) };
  }
}

const registry: StrategyDefinition[] = [{ name: 'popularity', create: () => new PopularityTrainer(), defaults: {} }];

/** 40 users in 4 taste clusters over 60 items, a popularity skew, ratings 1–5 and increasing times. */
function syntheticFile(dir: string): string {
  const random = seededRandom(3);
  const lines: string[] = [];
  let time = 1_000;
  for (let u = 0; u < 40; u++) {
    const cluster = u % 4;
    const seen = new Set<number>();
    for (let j = 0; j < 12; j++) {
      const item = random() < 0.7 ? cluster * 15 + Math.floor(random() * random() * 15) : Math.floor(random() * 60);
      if (seen.has(item)) continue;
      seen.add(item);
      lines.push([`user${u}`, `item${item}`, 1 + Math.floor(random() * 5), time++].join('\t'));
    }
  }
  const file = path.join(dir, 'interactions.tsv');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, registry);
  return { code, stdout, stderr };
}

describe('npm run eval (end to end on a synthetic file)', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lemo-eval-'));
    file = syntheticFile(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['ms-recommenders', 'recbole', 'leave-last-out'])('evaluates %s and prints every metric as JSON, the same for the same seed', async (protocol) => {
    const argv = ['--data', file, '--sep', '\\t', '--protocol', protocol, '--json', '--quiet'];
    const first = await cli(argv);
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout) as EvaluationResult;
    expect(result.protocol.name).toBe(protocol);
    expect(result.strategies.map((s) => s.name)).toEqual(['popularity']);
    expect(result.pipeline.weights).toEqual({ popularity: 1 });
    for (const k of [10, 20]) {
      for (const value of Object.values(result.strategies[0].metrics.at[k])) expect(value).toBeGreaterThanOrEqual(0);
      expect(result.strategies[0].metrics.at[k].hit).toBeGreaterThan(0);
      // A one-strategy blend ranks like the strategy.
      expect(result.pipeline.metrics.at[k]).toEqual(result.strategies[0].metrics.at[k]);
    }
    expect(result.data.evaluatedUsers).toBe(result.strategies[0].metrics.users);
    const again = JSON.parse((await cli(argv)).stdout) as EvaluationResult;
    expect(again.strategies[0].metrics).toEqual(result.strategies[0].metrics);
  });

  it('prints a table, tunes on validation only, and documents itself', async () => {
    const table = await cli(['--data', file, '--columns', 'user,item,-,timestamp', '--tune', '--quiet']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/\| pipeline +\|/);
    expect(table.stdout).toContain('NDCG@10');
    expect(table.stdout).toContain('tuned on validation');
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const option of ['--data', '--sep', '--header', '--columns', '--positive', '--protocol', '--params', '--pipeline', '--tune', '--json'])
      expect(help.stdout).toContain(option);
    const unknown = await cli(['--data', file, '--strategies', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown strategy 'nope'");
  });
});
