import { Controller } from '@nestjs/common';
import type { Metadata, ServerUnaryCall } from '@grpc/grpc-js';
import { z } from 'zod';
import { UsersUseCase } from '@lemo/application';
import { clientId, isDomainError, metadataSchema, parseOrThrow, type User } from '@lemo/domain';
import { HealthService } from '@lemo/runtime';
import { recommender, recommenderCommon } from '@lemo/contracts';
import { GrpcCalls } from '../call/grpc-calls';
import { GrpcService, type UnaryHandlers } from '../grpc-service.decorator';
import { healthMessage } from '../mapping/health.mapping';
import { presentString } from '../mapping/proto-values';
import { realtimeFeaturesMessage, userProfileMessage } from '../mapping/user.mapping';

/** Profiles are computed per user, so a batch is kept to what one call can do promptly. */
const MAX_BATCH_USERS = 100;
const userIdSchema = z.object({ user_id: clientId('user_id') }).strict();
const userIdsSchema = z.object({ user_ids: z.array(clientId('user_id')).min(1, 'at least one user id is required').max(MAX_BATCH_USERS) }).strict();

/** lemo.recommender.v1.UserService on UsersUseCase (REST's /users/{id}, /profile and /features). */
@Controller()
@GrpcService('UserService', recommender.UserServiceService)
export class UserGrpcController implements UnaryHandlers<recommender.UserServiceServer> {
  constructor(
    private readonly calls: GrpcCalls,
    private readonly users: UsersUseCase,
    private readonly health: HealthService,
  ) {}

  getUserProfile(request: recommender.GetUserProfileRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.GetUserProfileRequest, recommender.GetUserProfileResponse>) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const { user_id } = parseOrThrow(userIdSchema, { user_id: request.user_id });
      return { profile: await this.profile(tenantId, user_id, request.scenario_id) };
    });
  }

  /** Users with neither a record nor events are left out of `profiles`. */
  batchGetUserProfiles(
    request: recommender.BatchGetUserProfilesRequest,
    _metadata: Metadata,
    call: ServerUnaryCall<recommender.BatchGetUserProfilesRequest, recommender.BatchGetUserProfilesResponse>,
  ) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const { user_ids } = parseOrThrow(userIdsSchema, { user_ids: request.user_ids });
      const profiles: recommender.UserProfile[] = [];
      for (const userId of new Set(user_ids)) {
        const profile = await this.profile(tenantId, userId, request.scenario_id).catch(unlessNotFound);
        if (profile) profiles.push(profile);
      }
      return { profiles };
    });
  }

  /** `features` become the user's stored attributes (REST's PUT /users/{id}); the answer is the refreshed profile. */
  updateUserProfile(request: recommender.UpdateUserProfileRequest, _metadata: Metadata, call: ServerUnaryCall<recommender.UpdateUserProfileRequest, recommender.UpdateUserProfileResponse>) {
    return this.calls.run(call, 'write', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const { user_id } = parseOrThrow(userIdSchema, { user_id: request.user_id });
      const attributes = parseOrThrow(metadataSchema, request.features ?? {}, 'features');
      await this.users.upsert(tenantId, user_id, attributes);
      return { profile: await this.profile(tenantId, user_id, request.scenario_id) };
    });
  }

  getUserRealtimeFeatures(
    request: recommender.GetUserRealtimeFeaturesRequest,
    _metadata: Metadata,
    call: ServerUnaryCall<recommender.GetUserRealtimeFeaturesRequest, recommender.GetUserRealtimeFeaturesResponse>,
  ) {
    return this.calls.run(call, 'read', async (caller) => {
      const tenantId = caller.tenant(request.tenant_id);
      const { user_id } = parseOrThrow(userIdSchema, { user_id: request.user_id });
      const features = await this.users.realtimeFeatures(tenantId, user_id);
      return { features: realtimeFeaturesMessage(features, presentString(request.scenario_id), Date.now()) };
    });
  }

  healthCheck(_request: recommenderCommon.HealthCheckRequest, _metadata: Metadata, call: ServerUnaryCall<recommenderCommon.HealthCheckRequest, recommenderCommon.HealthCheckResponse>) {
    return this.calls.run(call, 'read', async () => healthMessage(await this.health.readiness()));
  }

  private async profile(tenantId: string, userId: string, scenarioId: string): Promise<recommender.UserProfile> {
    const profile = await this.users.profile(tenantId, userId);
    // A user known only from events has no record (no attributes, no timestamps).
    const user: User | null = await this.users.get(tenantId, userId).catch(unlessNotFound);
    return userProfileMessage(profile, user, scenarioId);
  }
}

function unlessNotFound(error: unknown): null {
  if (isDomainError(error) && error.code === 'NOT_FOUND') return null;
  throw error;
}
