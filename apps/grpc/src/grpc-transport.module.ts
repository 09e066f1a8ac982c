import { Module } from '@nestjs/common';
import { GrpcHealthController } from './grpc-health.controller';

/** The gRPC transport's handlers. The lemo.recommender.v1 services join here with the gRPC issue. */
@Module({ controllers: [GrpcHealthController] })
export class GrpcTransportModule {}
