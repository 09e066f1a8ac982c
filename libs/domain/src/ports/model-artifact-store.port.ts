import { DomainError } from '../errors/domain-error';

/** What is stored about an artifact besides its bytes. */
export interface ArtifactInfo {
  key: string;
  bytes: number;
  /** ISO time of the last write. */
  updated_at: string;
}

/**
 * Trained model files (factor matrices, similarity matrices, ranker weights),
 * stored per tenant under a key such as `<model_id>/<version>`. Bytes are
 * opaque here; each model kind owns its encoding. Writes replace the whole
 * artifact atomically: a reader sees the old or the new bytes, never a mix.
 */
export abstract class ModelArtifactStore {
  abstract put(tenantId: string, key: string, bytes: Uint8Array): Promise<ArtifactInfo>;
  /** The bytes, or null when there is no such artifact. */
  abstract get(tenantId: string, key: string): Promise<Uint8Array | null>;
  /** Artifacts whose key starts with `prefix`, by key. */
  abstract list(tenantId: string, prefix: string): Promise<ArtifactInfo[]>;
  /** True when an artifact was removed. */
  abstract delete(tenantId: string, key: string): Promise<boolean>;
}

const ARTIFACT_KEY = /^[A-Za-z0-9][A-Za-z0-9._:@-]*(\/[A-Za-z0-9][A-Za-z0-9._:@-]*)*$/;

/** Keys are path-like ids: adapters may map them to files or object names, so no `..`, empty or absolute parts. */
export function checkArtifactKey(key: string): string {
  if (key.length > 512 || !ARTIFACT_KEY.test(key)) {
    throw DomainError.invalid('key', `artifact key '${key}' must be segments of letters, digits and _ . : @ - joined by '/'`);
  }
  return key;
}
