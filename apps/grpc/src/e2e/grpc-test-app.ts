import type { DynamicModule, INestMicroservice, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { credentials, Metadata, type CallOptions, type ChannelCredentials, type Client, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { TenantAdminUseCase } from '@lemo/application';
import { createApiKeySchema, createTenantSchema, type ApiKeyScope } from '@lemo/domain';
import { loadConfig, processEnvironment, type AppConfig } from '@lemo/platform-config';
import { uniqueName } from '@lemo/platform-testing';
import { CoreModule } from '@lemo/runtime';
import { recommender } from '@lemo/contracts';
import { grpcOptions } from '../grpc-options';
import { GrpcTransportModule } from '../grpc-transport.module';

export interface GrpcTestApp {
  address: string;
  /** The adapters in use: embedded in memory, or the dev stack's servers (jest.cluster.config.js). */
  profile: AppConfig['profile'];
  /** Makes a tenant and a key with these scopes through the admin use case (the contract has no tenant API). */
  tenant(tenantId: string, scopes?: ApiKeyScope[]): Promise<{ tenantId: string; apiKey: string }>;
  /** A key of an existing tenant. */
  apiKey(tenantId: string, scopes: ApiKeyScope[]): Promise<string>;
  close(): Promise<void>;
}

/**
 * The gRPC app as main.ts builds it (CoreModule + the transport), on the embedded profile in memory, or
 * on the dev stack's servers when the suite runs with PROFILE=cluster (jest.cluster.config.js).
 * `modules` adds work modules as the all-in-one hosts them (e.g. StreamsModule, whose bus →
 * analytics store sink dashboards and experiment results read).
 */
export async function createGrpcTestApp(port: number, env: Record<string, string> = {}, modules: Array<Type | DynamicModule> = []): Promise<GrpcTestApp> {
  // The process environment picks the adapters (PROFILE=cluster: the real servers); each app gets its own databases, key prefixes, topics and collection.
  const isolation = { MONGODB_DATABASE: uniqueName('lemo_grpc'), CLICKHOUSE_DATABASE: uniqueName('lemo_grpc'), STORAGE_NAMESPACE: uniqueName('grpc') };
  // Every adapter connects at once while the app boots; on a busy 2-core machine that takes longer than the 5 s default.
  const patience = { MONGODB_SERVER_SELECTION_TIMEOUT_MS: '30000' };
  const config = loadConfig({ ...processEnvironment(), DATA_DIR: ':memory:', LOG_LEVEL: 'silent', GRPC_PORT: String(port), ADMIN_API_KEY: 'test-admin-key-0123456789', ...patience, ...isolation, ...env });
  const moduleRef = await Test.createTestingModule({ imports: [CoreModule.forConfig(config), GrpcTransportModule, ...modules] }).compile();
  const app: INestMicroservice = moduleRef.createNestMicroservice(grpcOptions(config));
  app.useLogger(false);
  await app.listen();
  const admin = moduleRef.get(TenantAdminUseCase);
  const apiKey = async (tenantId: string, scopes: ApiKeyScope[]) => (await admin.createApiKey(tenantId, createApiKeySchema.parse({ name: 'test', scopes }))).secret;
  return {
    address: `127.0.0.1:${port}`,
    profile: config.profile,
    apiKey,
    async tenant(tenantId, scopes = ['admin']) {
      await admin.createTenant(createTenantSchema.parse({ tenant_id: tenantId, name: `Tenant ${tenantId}` }));
      return { tenantId, apiKey: await apiKey(tenantId, scopes) };
    },
    close: () => app.close(),
  };
}

/** A client of every implemented lemo.recommender.v1 service, made from the generated stubs. */
export function recommenderClients(address: string, channelCredentials: ChannelCredentials = credentials.createInsecure()) {
  return {
    scenarios: new recommender.ScenarioServiceClient(address, channelCredentials),
    items: new recommender.ItemServiceClient(address, channelCredentials),
    behaviors: new recommender.BehaviorServiceClient(address, channelCredentials),
    recommendations: new recommender.RecommendationServiceClient(address, channelCredentials),
    recall: new recommender.RecallServiceClient(address, channelCredentials),
    ranking: new recommender.RankingServiceClient(address, channelCredentials),
    reranking: new recommender.RerankingServiceClient(address, channelCredentials),
    templates: new recommender.TemplateServiceClient(address, channelCredentials),
    users: new recommender.UserServiceClient(address, channelCredentials),
    experiments: new recommender.ExperimentServiceClient(address, channelCredentials),
    analytics: new recommender.AnalyticsServiceClient(address, channelCredentials),
    models: new recommender.ModelServiceClient(address, channelCredentials),
    datasets: new recommender.DatasetServiceClient(address, channelCredentials),
    flinkJobs: new recommender.FlinkJobServiceClient(address, channelCredentials),
  };
}
export type RecommenderClients = ReturnType<typeof recommenderClients>;

export const closeAll = (clients: Record<string, Client>): void => Object.values(clients).forEach((client) => client.close());

/** The full form of a generated unary method: request, metadata, options, callback. */
type UnaryMethod<Req, Res> = (request: Req, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response: Res) => void) => ClientUnaryCall;

export interface UnaryResult<Res> {
  response: Res;
  /** Response headers (x-request-id). */
  headers: Metadata;
}

/** Calls a unary RPC with metadata; resolves with the response and its headers, rejects with the ServiceError. */
export function unary<Req, Res>(method: UnaryMethod<Req, Res>, request: Req, metadata: Record<string, string>, options: Partial<CallOptions> = {}): Promise<UnaryResult<Res>> {
  const md = new Metadata();
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  return new Promise((resolve, reject) => {
    let headers = new Metadata();
    const call = method(request, md, options, (error, response) => (error ? reject(error) : resolve({ response, headers })));
    call.on('metadata', (received: Metadata) => {
      headers = received;
    });
  });
}

/** The ServiceError a call fails with (fails the test when it succeeds). */
export async function failure(pending: Promise<unknown>): Promise<ServiceError> {
  try {
    await pending;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}
