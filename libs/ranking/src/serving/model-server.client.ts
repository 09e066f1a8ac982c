import type { PredictRequest, PredictResponse } from '@lemo/domain';

/** Headers of the model-server's internal API. */
export const TENANT_HEADER = 'x-tenant-id';
export const INTERNAL_TOKEN_HEADER = 'x-internal-token';

/** Why a call to the model-server gave no scores: `not_found` is an answer (no such model or deployed version), the others are failures. */
export type ModelServerFailure = 'not_found' | 'timeout' | 'unreachable' | 'error';

export class ModelServerCallError extends Error {
  constructor(
    readonly failure: ModelServerFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ModelServerCallError';
  }
}

export interface ModelServerClientOptions {
  /** Base URL, e.g. http://model-server:10073 (no trailing slash). */
  url: string;
  token?: string;
  timeoutMs: number;
}

/**
 * Calls the model-server's predict endpoint over HTTP (Node's fetch, pooled
 * keep-alive connections). Every call is bounded by `timeoutMs`; failures are
 * thrown as ModelServerCallError so the caller can choose its fallback.
 */
export class ModelServerClient {
  constructor(private readonly options: ModelServerClientOptions) {}

  get url(): string {
    return this.options.url;
  }

  async predict(tenantId: string, scenarioId: string, model: string, body: PredictRequest): Promise<PredictResponse> {
    const url = `${this.options.url}/v1/models/${encodeURIComponent(scenarioId)}/${encodeURIComponent(model)}/predict`;
    const headers: Record<string, string> = { 'content-type': 'application/json', [TENANT_HEADER]: tenantId };
    if (this.options.token) headers[INTERNAL_TOKEN_HEADER] = this.options.token;
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'TimeoutError' || name === 'AbortError') throw new ModelServerCallError('timeout', `no answer within ${this.options.timeoutMs} ms`);
      throw new ModelServerCallError('unreachable', `${(error as Error).message}${causeOf(error)}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ModelServerCallError('not_found', `no deployed ${model} model for scenario '${scenarioId}'`);
    }
    if (!response.ok) throw new ModelServerCallError('error', `HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const answer = (await response.json()) as PredictResponse;
    if (!Array.isArray(answer.scores) || answer.scores.length !== body.candidates.length) {
      throw new ModelServerCallError('error', `expected ${body.candidates.length} scores, got ${Array.isArray(answer.scores) ? answer.scores.length : 'none'}`);
    }
    return answer;
  }
}

/** fetch reports "fetch failed" and hides the reason (ECONNREFUSED, …) in `cause`. */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause ? ` (${cause.code ?? cause.message})` : '';
}
