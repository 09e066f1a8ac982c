import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelServerCallError, ModelServerClient } from './model-server.client';

/** A real HTTP server on loopback whose answer each test chooses. */
describe('ModelServerClient', () => {
  let server: Server;
  let url: string;
  let answer: (request: IncomingMessage, body: string, response: ServerResponse) => void;
  const body = { context: { user_id: 'u1' }, candidates: [{ item_id: 'a' }, { item_id: 'b' }] };

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => answer(request, text, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no failure',
      (error: unknown) => (error instanceof ModelServerCallError ? error.failure : `unexpected ${String(error)}`),
    );

  it('posts the candidates with the tenant and token headers and returns the scores', async () => {
    let seen: { path?: string; tenant?: string | string[]; token?: string | string[]; body?: unknown } = {};
    answer = (request, text, response) => {
      seen = { path: request.url, tenant: request.headers['x-tenant-id'], token: request.headers['x-internal-token'], body: JSON.parse(text) };
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ tenant_id: 'acme', scenario_id: 'shop', model: 'lr', version: 'v3', scores: [0.2, 0.7] }));
    };
    const client = new ModelServerClient({ url, token: 'internal-token-0123456789', timeoutMs: 2000 });
    const result = await client.predict('acme', 'shop', 'lr', body);
    expect(result).toMatchObject({ version: 'v3', scores: [0.2, 0.7] });
    expect(seen).toEqual({ path: '/v1/models/shop/lr/predict', tenant: 'acme', token: 'internal-token-0123456789', body });
  });

  it('names each failure: not_found, error (5xx or a wrong score count), timeout, unreachable', async () => {
    const client = new ModelServerClient({ url, timeoutMs: 300 });
    answer = (_request, _text, response) => response.writeHead(404).end('{}');
    expect(await failureOf(client.predict('acme', 'shop', 'lr', body))).toBe('not_found');
    answer = (_request, _text, response) => response.writeHead(503).end('down');
    expect(await failureOf(client.predict('acme', 'shop', 'lr', body))).toBe('error');
    answer = (_request, _text, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ version: 'v1', scores: [0.5] }));
    expect(await failureOf(client.predict('acme', 'shop', 'lr', body))).toBe('error');
    // Never answers: the time budget ends the call.
    answer = () => undefined;
    expect(await failureOf(client.predict('acme', 'shop', 'lr', body))).toBe('timeout');

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const nobody = new ModelServerClient({ url: `http://127.0.0.1:${closedPort}`, timeoutMs: 2000 });
    expect(await failureOf(nobody.predict('acme', 'shop', 'lr', body))).toBe('unreachable');
  });
});
