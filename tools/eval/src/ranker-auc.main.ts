import { isModelKind, SPARSE_FIELD_NAMES, type ModelKind } from '@lemo/ranking';
import { formatRankerAucReport, runRankerAucReport } from './ranker-auc';

/*
 * Learned-ranker AUC on MovieLens-100K. Build, then run the compiled file:
 *   node tools/build/build.mjs libs/domain libs/features libs/recall libs/ranking tools/eval
 *   node dist/tools/eval/src/ranker-auc.main.js [--data /work/shared/datasets/ml-100k] [--models lr,fm,deepfm,wide_deep] [--negatives 1] [--split global|per_user] [--with-context] [--learning-rate 0.01] [--l2 1e-5]
 */
const DEFAULT_DATA_DIR = '/work/shared/datasets/ml-100k';

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const kinds = (argument('models') ?? 'lr,fm,deepfm,wide_deep').split(',').filter(Boolean);
  const unknown = kinds.filter((k) => !isModelKind(k));
  if (unknown.length > 0) throw new Error(`unknown model(s) ${unknown.join(', ')}`);
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const report = await runRankerAucReport({
    dataDir: argument('data') ?? DEFAULT_DATA_DIR,
    kinds: kinds as ModelKind[],
    negativesPerPositive: Number(argument('negatives') ?? 1),
    split: argument('split') === 'per_user' ? 'per_user' : 'global',
    fields: process.argv.includes('--with-context') ? SPARSE_FIELD_NAMES : undefined,
    fit: {
      ...(argument('learning-rate') ? { learningRate: Number(argument('learning-rate')) } : {}),
      ...(argument('l2') ? { l2: Number(argument('l2')) } : {}),
    },
    log,
  });
  log('');
  log(formatRankerAucReport(report));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
