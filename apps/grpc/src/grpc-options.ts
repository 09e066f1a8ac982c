import { join } from 'node:path';
import { Transport, type GrpcOptions } from '@nestjs/microservices';
import type { AppConfig } from '@lemo/platform-config';

/** proto/ at the repository root, found from source (ts) or built (dist) locations alike. */
export const PROTO_ROOT = join(__dirname, __dirname.includes(`${join('dist', 'apps')}`) ? '../../../../proto' : '../../../proto');

export function grpcOptions(config: AppConfig): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      url: `${config.grpc.host}:${config.grpc.port}`,
      package: ['grpc.health.v1'],
      protoPath: [join(PROTO_ROOT, 'grpc/health/v1/health.proto')],
      loader: { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true },
    },
  };
}
