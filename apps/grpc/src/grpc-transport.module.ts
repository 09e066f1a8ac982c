import { Module } from '@nestjs/common';
import { AuthGuard } from '@lemo/platform-auth';
import { GrpcAuth } from './call/grpc-auth';
import { GrpcCalls } from './call/grpc-calls';
import { GrpcHealthController } from './grpc-health.controller';
import { BehaviorStats } from './services/behavior-stats';
import { BehaviorGrpcController } from './services/behavior.grpc-controller';
import { FlinkJobGrpcController } from './services/flink-job.grpc-controller';
import { ItemGrpcController } from './services/item.grpc-controller';
import { RecommendationGrpcController } from './services/recommendation.grpc-controller';
import { RankingGrpcController, RecallGrpcController, RerankingGrpcController } from './services/engine-stages.grpc-controller';
import { ScenarioGrpcController } from './services/scenario.grpc-controller';
import { TemplateGrpcController } from './services/template.grpc-controller';
import { ModelGrpcController } from './services/model.grpc-controller';
import { AnalyticsGrpcController } from './services/analytics.grpc-controller';
import { ExperimentGrpcController } from './services/experiment.grpc-controller';
import { DatasetGrpcController } from './services/dataset.grpc-controller';
import { UserGrpcController } from './services/user.grpc-controller';

/**
 * The gRPC transport: grpc.health.v1 and every lemo.recommender.v1 service of the contract, on
 * the use cases CoreModule provides. Calls authenticate through REST's AuthGuard (GrpcAuth).
 */
@Module({
  controllers: [
    GrpcHealthController,
    ScenarioGrpcController,
    ItemGrpcController,
    BehaviorGrpcController,
    RecommendationGrpcController,
    RecallGrpcController,
    RankingGrpcController,
    RerankingGrpcController,
    TemplateGrpcController,
    UserGrpcController,
    ExperimentGrpcController,
    AnalyticsGrpcController,
    ModelGrpcController,
    DatasetGrpcController,
    FlinkJobGrpcController,
  ],
  providers: [AuthGuard, GrpcAuth, GrpcCalls, BehaviorStats],
})
export class GrpcTransportModule {}
