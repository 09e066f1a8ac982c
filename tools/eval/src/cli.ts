import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { evaluate, type EvaluationResult } from './evaluate';
import type { StrategyRun } from './held-out-run';
import { parseColumns, parseSeparator, readInteractionsFile } from './interactions';
import { mergeParams, parseParamOverrides, parseWeights, type StrategyParams } from './params';
import { NORMALIZATIONS, type Normalization } from './pipeline';
import { formatReport } from './report';
import { protocolNamed } from './split';
import { DEFAULT_PIPELINE_WEIGHTS, STRATEGIES, strategyNamed, type StrategyContext, type StrategyDefinition } from './strategies';
import { parseItemColumns, readItemTextsFile } from './item-texts';

export const HELP = `Offline evaluation of the engine's models and recall pipeline on a split of an interaction file.

Usage: npm run eval -- --data <file> [options]

Input
  --data <file>          interaction file, one interaction per line (required)
  --sep <s>              field separator: '\\t' or tab (default), ',', '::', ' ' ...
  --header               the first line is a header and is skipped
  --columns <list>       role of each column, comma-separated (default user,item,rating,timestamp):
                           user, item (required), rating, timestamp, weight (implicit count or
                           strength, summed per pair), - (ignored). Without timestamp, line order is time.
  --positive <r|none>    keep rows with rating >= r as positives; 'none' keeps all
                           (default: 3 for recbole, none for the other protocols)
  --items <file>         item metadata for the content strategy (without it, content is skipped)
  --item-sep <s>         its separator (default '|')
  --item-header          its first line names the columns (flag tags are then named after them)
  --item-columns <list>  role of each column (default id,text): id, text (joined), tag (its value),
                           flag (1 tags the item with the column name), - ; role*N repeats, e.g. for
                           ML-100K u.item: id,text,-,-,-,flag*19
  --item-encoding <enc>  its encoding (default utf8; ML-100K's u.item is latin1)

Protocol (named in every report; same seed, same split)
  --protocol <name>      ms-recommenders (default): 75/25 stratified random split per user, all ratings positive
                         recbole: random 8:1:1 per user, full ranking, ratings >= 3 positive; as in RecBole the
                           10 % validation part is not trained on and is excluded from the test ranking; only
                           --tune scores on it
                         leave-last-out: each user's latest interaction is the test (users with a single
                           interaction only train)
  --seed <n>             split seed (default 42)
  --k <list>             cut-offs (default 10,20); the first one is the tuning objective's

Strategies
  --strategies <list>    strategies to run (default: every one that can run: ${STRATEGIES.map((s) => s.name).join(', ')})
  --params <a.p=v,...>   training params, e.g. als.factors=128,ease.lambda=250 (repeatable; JSON values)
  --config <file.json>   {"strategies": [...], "params": {"als": {...}}, "pipeline": {"ease": 1},
                          "normalize": "minmax", "candidates": 200}; command-line options win

Pipeline (the product's recall merge: Σ weight × per-strategy score in [0, 1], then top-K)
  --pipeline <n=w,...>   weights, e.g. ease=1,als=0.5 (default: ${formatWeights(DEFAULT_PIPELINE_WEIGHTS) || 'every strategy at 1'})
  --normalize <how>      ${NORMALIZATIONS.join(' | ')} (default minmax): score/best, min-max, or 1 - rank/N;
                         serving applies the same mapping as the scenario config's recall.normalization
  --candidates <n>       candidates per strategy entering the blend (default 200)
  --tune                 tune the weights, starting from the ones above, by coordinate ascent on NDCG at
                         the first K on a validation split carved from the training part (RecBole's
                         validation part; otherwise the protocol applied again to the training part with
                         seed + 1); then train on the whole training part and report the test
  --tune-grid <list>     weight values tried per strategy (default 0,0.25,0.5,1,2)
  --tune-rounds <n>      passes over the strategies (default 3)

Output
  --json                 print the full result as JSON (every metric at every K, per strategy and pipeline)
  --quiet                no progress lines on stderr
  --help                 this text
  EVAL_SKIP_BUILD=1      (environment) run the last build of the tool instead of rebuilding it first

Metrics, averaged over users with at least one test item, training items excluded from the ranking:
Recall@K, NDCG@K (log2(rank+1) discounts, ideal DCG over min(K, #test items)), Precision@K, MRR@K,
Hit@K (binary relevance); coverage@K = distinct items in some top-K / items; train time in seconds.
`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the command line; returns the exit code. `registry` is replaceable for tests. */
export async function runCli(argv: string[], io: CliIo, registry: readonly StrategyDefinition[] = STRATEGIES): Promise<number> {
  let args: ReturnType<typeof parseCommandLine>;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    io.stderr(`${message(error)}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    io.stdout(HELP);
    return 0;
  }
  try {
    const result = await run(args, registry, args.quiet ? () => undefined : (line) => io.stderr(`[eval] ${line}\n`));
    io.stdout(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatReport(result, args.data ?? ''));
    return 0;
  } catch (error) {
    io.stderr(`eval: ${message(error)}\n`);
    return 1;
  }
}

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      data: { type: 'string' },
      sep: { type: 'string', default: '\\t' },
      header: { type: 'boolean', default: false },
      columns: { type: 'string', default: 'user,item,rating,timestamp' },
      positive: { type: 'string' },
      items: { type: 'string' },
      'item-sep': { type: 'string', default: '|' },
      'item-header': { type: 'boolean', default: false },
      'item-columns': { type: 'string', default: 'id,text' },
      'item-encoding': { type: 'string', default: 'utf8' },
      protocol: { type: 'string', default: 'ms-recommenders' },
      seed: { type: 'string', default: '42' },
      k: { type: 'string', default: '10,20' },
      strategies: { type: 'string' },
      params: { type: 'string', multiple: true, default: [] },
      config: { type: 'string' },
      pipeline: { type: 'string' },
      normalize: { type: 'string' },
      candidates: { type: 'string' },
      tune: { type: 'boolean', default: false },
      'tune-grid': { type: 'string', default: '0,0.25,0.5,1,2' },
      'tune-rounds': { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  return values;
}

type CommandLine = ReturnType<typeof parseCommandLine>;

/** The JSON config file's shape; every field optional. */
interface ConfigFile {
  strategies?: string[];
  params?: StrategyParams;
  pipeline?: Record<string, number>;
  normalize?: Normalization;
  candidates?: number;
}

/** What was read, as named in the JSON output. */
export interface InputDescription {
  file: string;
  columns: string;
  /** Rating threshold applied, or null when every row counted as positive. */
  positive: number | null;
  items: string | null;
}

async function run(
  args: CommandLine,
  registry: readonly StrategyDefinition[],
  log: (line: string) => void,
): Promise<{ input: InputDescription } & EvaluationResult> {
  // Every option is checked before the (possibly large) file is read.
  if (!args.data) throw new Error('--data <file> is required');
  const config = args.config ? await readConfig(args.config) : {};
  const protocol = protocolNamed(args.protocol);
  const seed = positiveInteger('--seed', args.seed, 0);
  const ks = list(args.k).map((k) => positiveInteger('--k', k));
  const columns = parseColumns(args.columns);
  const separator = parseSeparator(args.sep);
  const positive = columns.includes('rating') ? positiveThreshold(args.positive, protocol.defaultPositiveThreshold) : undefined;
  const itemFormat = args.items
    ? {
        separator: parseSeparator(args['item-sep']),
        header: args['item-header'],
        columns: parseItemColumns(args['item-columns']),
        encoding: encoding(args['item-encoding']),
      }
    : undefined;
  const params = mergeParams(config.params ?? {}, parseParamOverrides(args.params));
  for (const name of Object.keys(params)) strategyNamed(name, registry);
  const askedWeights = args.pipeline ? parseWeights(args.pipeline) : config.pipeline;
  for (const name of Object.keys(askedWeights ?? {})) strategyNamed(name, registry);
  const normalization = (args.normalize ?? config.normalize ?? 'minmax') as Normalization;
  if (!NORMALIZATIONS.includes(normalization)) throw new Error(`--normalize must be one of ${NORMALIZATIONS.join(', ')}`);
  const candidates = args.candidates ? positiveInteger('--candidates', args.candidates) : (config.candidates ?? 200);
  const tune = args.tune
    ? { grid: list(args['tune-grid']).map((w) => finiteNumber('--tune-grid', w)), rounds: positiveInteger('--tune-rounds', args['tune-rounds']) }
    : undefined;

  const data = await readInteractionsFile(args.data, { separator, header: args.header, columns, positiveThreshold: positive });
  log(
    `read ${args.data}: ${data.stats.lines} lines, ${data.stats.dropped} dropped, ${data.length} interactions (${positive === undefined ? 'every row positive' : `rating >= ${positive} positive`})`,
  );
  if (data.length === 0) throw new Error('no positive interaction in the file');
  const context: StrategyContext = {};
  if (args.items && itemFormat) {
    const { texts, described } = await readItemTextsFile(args.items, itemFormat, data.itemIds);
    log(`read ${args.items}: texts for ${described} of ${data.itemIds.size} items`);
    context.itemTexts = texts;
  }

  const strategies = selectStrategies(args.strategies ? list(args.strategies) : config.strategies, registry, context, log);
  for (const strategy of strategies) strategy.params = { ...strategy.params, ...params[strategy.name] };
  const names = strategies.map((strategy) => strategy.name);
  const weights = askedWeights ?? defaultWeights(names);
  const leftOut = Object.keys(weights).filter((name) => weights[name] > 0 && !names.includes(name));
  if (leftOut.length > 0) log(`pipeline: ${leftOut.join(', ')} not run, left out of the blend`);
  if (!names.some((name) => (weights[name] ?? 0) > 0)) throw new Error('the pipeline weights none of the strategies run (--pipeline name=weight)');

  const result = await evaluate(data, { protocol, seed, ks, strategies, pipeline: { weights, normalization, candidates, ...(tune ? { tune } : {}) }, log });
  return { input: { file: args.data, columns: args.columns, positive: positive ?? null, items: args.items ?? null }, ...result };
}

/** --positive r | none; absent: the protocol's default. */
function positiveThreshold(option: string | undefined, protocolDefault: number | undefined): number | undefined {
  if (option === undefined) return protocolDefault;
  return option === 'none' ? undefined : finiteNumber('--positive', option);
}

/**
 * The strategies asked for (each must be able to run), or by default every
 * registered one that can (content only with item texts).
 */
function selectStrategies(
  asked: readonly string[] | undefined,
  registry: readonly StrategyDefinition[],
  context: StrategyContext,
  log: (line: string) => void,
): StrategyRun[] {
  const runs: StrategyRun[] = [];
  for (const definition of asked ? asked.map((name) => strategyNamed(name, registry)) : registry) {
    const trainer = definition.create(context);
    if ('unavailable' in trainer) {
      if (asked) throw new Error(trainer.unavailable);
      log(`skipping ${definition.name}: ${trainer.unavailable}`);
      continue;
    }
    runs.push({ name: definition.name, trainer, params: { ...definition.defaults } });
  }
  if (runs.length === 0) throw new Error('no strategy to evaluate');
  return runs;
}

function encoding(name: string): BufferEncoding {
  if (!Buffer.isEncoding(name)) throw new Error(`unknown encoding '${name}'`);
  return name;
}

/** The default blend among the strategies run: DEFAULT_PIPELINE_WEIGHTS where it names them, else all at 1. */
function defaultWeights(names: readonly string[]): Record<string, number> {
  const configured = names.filter((name) => (DEFAULT_PIPELINE_WEIGHTS[name] ?? 0) > 0);
  return Object.fromEntries(names.map((name) => [name, configured.length > 0 ? (DEFAULT_PIPELINE_WEIGHTS[name] ?? 0) : 1]));
}

async function readConfig(file: string): Promise<ConfigFile> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${file}: the config must be a JSON object`);
  const known = ['strategies', 'params', 'pipeline', 'normalize', 'candidates'];
  const unknown = Object.keys(parsed).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new Error(`${file}: unknown field(s) ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return parsed as ConfigFile;
}

function list(spec: string): string[] {
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function finiteNumber(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`${option} expects a number, got '${text}'`);
  return value;
}

function positiveInteger(option: string, text: string, min = 1): number {
  const value = finiteNumber(option, text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${option} expects an integer >= ${min}, got '${text}'`);
  return value;
}

function formatWeights(weights: Readonly<Record<string, number>>): string {
  return Object.entries(weights)
    .map(([name, weight]) => `${name}=${weight}`)
    .join(',');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
