import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import { PROTO_ROOT } from './grpc-options';
import { createGrpcTestApp, type GrpcTestApp } from './e2e/grpc-test-app';

// Generous: on the cluster profile the app boots against every real server, slowly on a busy machine.
jest.setTimeout(120_000);

interface HealthClient extends grpc.Client {
  Check(request: { service: string }, callback: (error: grpc.ServiceError | null, response: { status: string }) => void): void;
}

describe('gRPC app', () => {
  let app: GrpcTestApp;
  let client: HealthClient;

  beforeAll(async () => {
    app = await createGrpcTestApp(10972);
    const definition = protoLoader.loadSync(join(PROTO_ROOT, 'grpc/health/v1/health.proto'), { keepCase: true, enums: String });
    const health = (grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: new (url: string, creds: grpc.ChannelCredentials) => HealthClient } } } }).grpc
      .health.v1.Health;
    client = new health(app.address, grpc.credentials.createInsecure());
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
  });

  it('answers the standard health check with SERVING', async () => {
    const response = await new Promise<{ status: string }>((resolve, reject) => client.Check({ service: '' }, (error, res) => (error ? reject(error) : resolve(res))));
    expect(response.status).toBe('SERVING');
  });
});
