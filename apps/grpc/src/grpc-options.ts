import { join } from 'node:path';
import type { Server } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import { grpcHealth, recommender } from '@lemo/contracts';
import type { AppConfig } from '@lemo/platform-config';

/** proto/ at the repository root, found from source (ts) or built (dist) locations alike. */
export const PROTO_ROOT = join(__dirname, __dirname.includes(`${join('dist', 'apps')}`) ? '../../../../proto' : '../../../proto');

/** Every .proto the server serves, for reflection (the codecs come from the generated stubs). */
export const SERVED_PROTO_FILES = [
  'grpc/health/v1/health.proto',
  ...['analytics', 'behavior', 'dataset', 'experiment', 'flink_job', 'item', 'model', 'recommendation', 'scenario', 'template', 'user'].map((name) => `recommender/v1/${name}.proto`),
];

/**
 * The services by full name, with the generated grpc-js definitions, so requests are decoded by the
 * same ts-proto codecs whose types the handlers are written against (snake_case fields, Struct as
 * plain objects, Timestamp as Date).
 */
export const SERVICE_DEFINITIONS = {
  'grpc.health.v1.Health': grpcHealth.HealthService,
  'lemo.recommender.v1.ScenarioService': recommender.ScenarioServiceService,
  'lemo.recommender.v1.ItemService': recommender.ItemServiceService,
  'lemo.recommender.v1.BehaviorService': recommender.BehaviorServiceService,
  'lemo.recommender.v1.ExperimentService': recommender.ExperimentServiceService,
  'lemo.recommender.v1.AnalyticsService': recommender.AnalyticsServiceService,
  'lemo.recommender.v1.ModelService': recommender.ModelServiceService,
  'lemo.recommender.v1.TemplateService': recommender.TemplateServiceService,
  'lemo.recommender.v1.DatasetService': recommender.DatasetServiceService,
  'lemo.recommender.v1.UserService': recommender.UserServiceService,
  'lemo.recommender.v1.RecommendationService': recommender.RecommendationServiceService,
  'lemo.recommender.v1.RecallService': recommender.RecallServiceService,
  'lemo.recommender.v1.RankingService': recommender.RankingServiceService,
  'lemo.recommender.v1.RerankingService': recommender.RerankingServiceService,
  'lemo.recommender.v1.FlinkJobService': recommender.FlinkJobServiceService,
};

export function grpcOptions(config: AppConfig): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      url: `${config.grpc.host}:${config.grpc.port}`,
      package: ['grpc.health.v1', 'lemo.recommender.v1'],
      packageDefinition: SERVICE_DEFINITIONS,
      onLoadPackageDefinition: (_definitions: unknown, server: Server) => addReflection(server),
    },
  };
}

/** Server reflection (grpcurl, Postman, grpc_cli) describes the services from the .proto sources. */
function addReflection(server: Server): void {
  const described = loadSync(SERVED_PROTO_FILES, { includeDirs: [PROTO_ROOT], keepCase: true });
  new ReflectionService(described).addToServer(server);
}
