/** Training params of each strategy, by strategy name. */
export type StrategyParams = Record<string, Record<string, unknown>>;

/**
 * Parses `als.factors=128,ease.lambda=250` (also repeated options) into
 * params by strategy. Values that read as JSON (numbers, true/false, null,
 * quoted strings, arrays) are taken as such; anything else stays a string.
 */
export function parseParamOverrides(specs: readonly string[]): StrategyParams {
  const params: StrategyParams = {};
  for (const spec of specs) {
    for (const entry of splitTopLevel(spec)) {
      const match = /^([\w-]+)\.([\w-]+)=(.*)$/.exec(entry.trim());
      if (!match) throw new Error(`--params expects strategy.param=value, got '${entry}'`);
      const [, strategy, name, value] = match;
      (params[strategy] ??= {})[name] = parseValue(value);
    }
  }
  return params;
}

/** Parses `ease=1,als=0.5` into weights by strategy name. */
export function parseWeights(spec: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const entry of spec.split(',')) {
    const match = /^\s*([\w-]+)\s*=\s*([^\s]+)\s*$/.exec(entry);
    const weight = match ? Number(match[2]) : NaN;
    if (!match || !(weight >= 0)) throw new Error(`--pipeline expects name=weight with weight >= 0, got '${entry}'`);
    weights[match[1]] = weight;
  }
  return weights;
}

/** Merges param sets; later ones win per param. */
export function mergeParams(...sets: StrategyParams[]): StrategyParams {
  const merged: StrategyParams = {};
  for (const set of sets) for (const [strategy, params] of Object.entries(set)) merged[strategy] = { ...merged[strategy], ...params };
  return merged;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Splits on commas that are not inside brackets or quotes, so `x.list=[1,2]` stays one entry. */
function splitTopLevel(spec: string): string[] {
  const entries: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '[' || c === '{')) depth++;
    else if (!quoted && (c === ']' || c === '}')) depth--;
    else if (!quoted && depth === 0 && c === ',') {
      entries.push(spec.slice(start, i));
      start = i + 1;
    }
  }
  entries.push(spec.slice(start));
  return entries.filter((entry) => entry.trim() !== '');
}
