import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API key secrets are 32 random bytes, so a plain SHA-256 is a safe at-rest
 * hash (no dictionary to attack) and cheap enough to run on every request.
 */
export function generateApiKeySecret(tenantId: string): string {
  return `lemo_${tenantId}_${randomBytes(32).toString('base64url')}`;
}

export const hashApiKey = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(hashApiKey(a), 'hex');
  const right = Buffer.from(hashApiKey(b), 'hex');
  return timingSafeEqual(left, right);
}
