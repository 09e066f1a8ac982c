import type { HealthReport } from '@lemo/runtime';
import { recommenderCommon } from '@lemo/contracts';

/**
 * The platform's readiness (REST's /health) as the contract's HealthCheckResponse: status is
 * ok, degraded or down; `version` stays empty because the build records none.
 */
export function healthMessage(report: HealthReport): recommenderCommon.HealthCheckResponse {
  return recommenderCommon.HealthCheckResponse.fromPartial({
    status: report.status,
    service: report.service,
    details: { profile: report.profile, uptime_seconds: report.uptime_seconds, checks: report.checks.map((check) => ({ ...check })) },
  });
}
