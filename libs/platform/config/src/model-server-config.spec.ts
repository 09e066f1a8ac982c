import { loadConfig } from './load-config';

describe('model-server variables', () => {
  it('ranks in-process by default, with the documented defaults', () => {
    expect(loadConfig({}).modelServer).toEqual({ url: undefined, token: undefined, timeoutMs: 300, pollMs: 5000, maxLoaded: 64 });
  });

  it('reads the URL (trailing slash dropped), token, budget, poll interval and model limit', () => {
    const config = loadConfig({
      MODEL_SERVER_URL: 'http://model-server:10073/',
      MODEL_SERVER_TOKEN: 'internal-token-0123456789',
      MODEL_SERVER_TIMEOUT_MS: '150',
      MODEL_SERVER_POLL_MS: '1000',
      MODEL_SERVER_MAX_MODELS: '8',
    });
    expect(config.modelServer).toEqual({ url: 'http://model-server:10073', token: 'internal-token-0123456789', timeoutMs: 150, pollMs: 1000, maxLoaded: 8 });
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ MODEL_SERVER_URL: 'model-server:10073', MODEL_SERVER_TOKEN: 'short', MODEL_SERVER_TIMEOUT_MS: '0' })).toThrow(
      /MODEL_SERVER_URL[\s\S]*MODEL_SERVER_TOKEN[\s\S]*MODEL_SERVER_TIMEOUT_MS/,
    );
    expect(() => loadConfig({ MODEL_SERVER_URL: 'http://model-server:10073/v1' })).toThrow(/MODEL_SERVER_URL: must be an http\(s\):\/\/host:port URL/);
  });
});
