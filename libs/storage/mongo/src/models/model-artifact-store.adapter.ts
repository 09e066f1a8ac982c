import { checkArtifactKey, ModelArtifactStore, type ArtifactInfo } from '@lemo/domain';
import { mongo, type Connection } from 'mongoose';
import { guarded } from '../connection/mongo-errors';

const BUCKET = 'model_artifacts';

interface ArtifactFile {
  _id: mongo.ObjectId;
  length: number;
  uploadDate: Date;
  metadata: { tenant_id: string; key: string };
}

/**
 * Model artifacts in GridFS (bucket `model_artifacts`), so they may exceed
 * MongoDB's 16 MB document limit. A put uploads a new file and then removes
 * the older ones of that key: GridFS writes the file document only after all
 * its chunks, so a reader picking the newest file document sees either the
 * old or the new artifact complete, never a partial one.
 */
export class MongoModelArtifactStore extends ModelArtifactStore {
  constructor(private readonly connection: Connection) {
    super();
  }

  private bucket(): mongo.GridFSBucket {
    // The connection's db exists only once connected; MongoStorage.open connects before handing adapters out.
    return new mongo.GridFSBucket(this.connection.db as mongo.Db, { bucketName: BUCKET });
  }

  private files(): mongo.Collection<ArtifactFile> {
    return this.connection.collection<ArtifactFile>(`${BUCKET}.files`) as unknown as mongo.Collection<ArtifactFile>;
  }

  /** Serves get (newest file of a key) and list (a tenant's keys by prefix). */
  async ensureIndexes(): Promise<void> {
    await this.files().createIndex({ 'metadata.tenant_id': 1, 'metadata.key': 1, uploadDate: -1 }, { name: 'artifacts_by_key' });
  }

  async put(tenantId: string, key: string, bytes: Uint8Array): Promise<ArtifactInfo> {
    checkArtifactKey(key);
    return guarded(async () => {
      const upload = this.bucket().openUploadStream(`${tenantId}/${key}`, { metadata: { tenant_id: tenantId, key } });
      await new Promise<void>((resolve, reject) => {
        upload.once('error', reject);
        upload.once('finish', () => resolve());
        upload.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      });
      await this.deleteVersions(tenantId, key, upload.id);
      return { key, bytes: bytes.byteLength, updated_at: new Date().toISOString() };
    });
  }

  async get(tenantId: string, key: string): Promise<Uint8Array | null> {
    return guarded(async () => {
      const newest = await this.files().find(this.match(tenantId, key)).sort({ uploadDate: -1, _id: -1 }).limit(1).next();
      if (!newest) return null;
      const chunks: Buffer[] = [];
      for await (const chunk of this.bucket().openDownloadStream(newest._id)) chunks.push(chunk as Buffer);
      const whole = Buffer.concat(chunks);
      return new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
    });
  }

  async list(tenantId: string, prefix: string): Promise<ArtifactInfo[]> {
    return guarded(async () => {
      const files = await this.files()
        .find({ 'metadata.tenant_id': tenantId, 'metadata.key': { $regex: `^${escapeRegex(prefix)}` } })
        .sort({ uploadDate: -1, _id: -1 })
        .toArray();
      // Newest file per key: an older one may linger for a moment while a put replaces it.
      const newest = new Map<string, ArtifactFile>();
      for (const file of files) if (!newest.has(file.metadata.key)) newest.set(file.metadata.key, file);
      return [...newest.values()]
        .map((file) => ({ key: file.metadata.key, bytes: file.length, updated_at: file.uploadDate.toISOString() }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    });
  }

  async delete(tenantId: string, key: string): Promise<boolean> {
    return guarded(async () => (await this.deleteVersions(tenantId, key)) > 0);
  }

  /** Deletes every stored file of the key but `keep`; returns how many went. */
  private async deleteVersions(tenantId: string, key: string, keep?: unknown): Promise<number> {
    const stale = await this.files().find(this.match(tenantId, key)).project<{ _id: mongo.ObjectId }>({ _id: 1 }).toArray();
    let deleted = 0;
    for (const { _id } of stale) {
      if (keep !== undefined && _id.equals(keep as mongo.ObjectId)) continue;
      await this.bucket().delete(_id);
      deleted++;
    }
    return deleted;
  }

  private match(tenantId: string, key: string): mongo.Filter<ArtifactFile> {
    return { 'metadata.tenant_id': tenantId, 'metadata.key': key };
  }
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
