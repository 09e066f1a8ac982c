import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { join } from 'node:path';
import type { INestMicroservice } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { loadConfig } from '@lemo/platform-config';
import { CoreModule } from '@lemo/runtime';
import { GrpcTransportModule } from './grpc-transport.module';
import { grpcOptions, PROTO_ROOT } from './grpc-options';

interface HealthClient extends grpc.Client {
  Check(request: { service: string }, callback: (error: grpc.ServiceError | null, response: { status: string }) => void): void;
}

describe('gRPC app', () => {
  let app: INestMicroservice;
  let client: HealthClient;

  beforeAll(async () => {
    const config = loadConfig({ DATA_DIR: ':memory:', LOG_LEVEL: 'silent', GRPC_PORT: '10972' });
    const moduleRef = await Test.createTestingModule({ imports: [CoreModule.forConfig(config), GrpcTransportModule] }).compile();
    app = moduleRef.createNestMicroservice(grpcOptions(config));
    await app.listen();
    const definition = protoLoader.loadSync(join(PROTO_ROOT, 'grpc/health/v1/health.proto'), { keepCase: true, enums: String });
    const health = (grpc.loadPackageDefinition(definition) as unknown as { grpc: { health: { v1: { Health: new (url: string, creds: grpc.ChannelCredentials) => HealthClient } } } }).grpc
      .health.v1.Health;
    client = new health('127.0.0.1:10972', grpc.credentials.createInsecure());
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
