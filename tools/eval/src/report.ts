import type { EvaluationResult } from './evaluate';
import type { MetricsSummary, RankingMetrics } from './metrics';

const COLUMNS: ReadonlyArray<[keyof RankingMetrics, string]> = [
  ['recall', 'Recall'],
  ['ndcg', 'NDCG'],
  ['precision', 'Prec'],
  ['mrr', 'MRR'],
  ['hit', 'Hit'],
];

/** The result as a Markdown table (rows: each strategy, then the pipeline), preceded by what was run. */
export function formatReport(result: EvaluationResult, source: string): string {
  const { data, protocol, pipeline } = result;
  const header = ['strategy', ...result.ks.flatMap((k) => COLUMNS.map(([, label]) => `${label}@${k}`)), ...result.ks.map((k) => `Cov@${k}`), 'train s'];
  const row = (name: string, metrics: MetricsSummary, trainSeconds: number): string[] => [
    name,
    ...result.ks.flatMap((k) => COLUMNS.map(([metric]) => metrics.at[k][metric].toFixed(4))),
    ...result.ks.map((k) => metrics.coverage[k].toFixed(4)),
    trainSeconds.toFixed(2),
  ];
  const rows = [
    ...result.strategies.map((strategy) => row(strategy.name, strategy.metrics, strategy.trainSeconds)),
    row('pipeline', pipeline.metrics, pipeline.trainSeconds),
  ];
  const weights = Object.entries(pipeline.weights)
    .filter(([, weight]) => weight > 0)
    .map(([name, weight]) => `${name}=${weight}`)
    .join(',');
  const lines = [
    `data: ${source} — ${data.users} users, ${data.items} items, ${data.interactions} positive interactions`,
    `protocol: ${protocol.name} — ${protocol.description}; seed ${protocol.seed}`,
    `split: ${data.train} train, ${data.validation} validation, ${data.test} test; ${data.evaluatedUsers} users evaluated; training items excluded`,
    `pipeline: ${weights || '(no strategy weighted)'}; ${pipeline.normalization} normalisation, top ${pipeline.candidates} per strategy` +
      (pipeline.tuning
        ? `; tuned on validation (NDCG@${result.ks[0]} ${pipeline.tuning.startNdcg.toFixed(4)} → ${pipeline.tuning.validationNdcg.toFixed(4)})`
        : ''),
    '',
    markdownTable(header, rows),
  ];
  return `${lines.join('\n')}\n`;
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((cell, c) => Math.max(cell.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]): string => `| ${cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ')} |`;
  const rule = `|${widths.map((width, c) => (c === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
