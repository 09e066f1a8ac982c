import { DomainError } from '@lemo/domain';

/** Checks a vector against the index dimension and copies it to float32, the precision the index keeps. */
export function toFloat32(vector: ArrayLike<number>, dimension: number, field: string): Float32Array {
  if (vector.length !== dimension) throw DomainError.invalid(field, `must have ${dimension} components, got ${vector.length}`);
  const copy = Float32Array.from(vector);
  if (!copy.every(Number.isFinite)) throw DomainError.invalid(field, 'must contain only finite numbers');
  return copy;
}

export const encodeVector = (vector: Float32Array): Buffer => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);

/** Copies out of the driver's buffer: its offset need not be 4-byte aligned. */
export const decodeVector = (blob: Buffer): Float32Array => new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
