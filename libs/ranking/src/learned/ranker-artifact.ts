import type { FeatureSchema } from './feature-schema';
import type { ModelHyperparameters, ModelKind } from './models/ranking-model';
import type { FeatureStatistics } from './training-data';

/** Everything about a trained ranker except its weights; the JSON part of the artifact. */
export interface RankerArtifactHeader {
  format: 'lemo-learned-ranker';
  formatVersion: 1;
  modelKind: ModelKind;
  /** Model registry version. */
  version: string;
  trainedAt: string;
  schema: FeatureSchema;
  hyperparameters: ModelHyperparameters;
  statistics: FeatureStatistics;
  metrics: Record<string, number>;
  /** In model order; the weights section holds their float32 values back to back. */
  weights: { name: string; shape: number[] }[];
}

export interface RankerArtifact {
  header: RankerArtifactHeader;
  weights: Float32Array[];
}

/*
 * Layout: "LRNK" | u32 LE header byte length | header JSON (UTF-8) | zero
 * padding to a multiple of 4 | float32 LE weights. One opaque blob that the
 * model registry can store as is; the header alone answers "what is this".
 */
const MAGIC = 'LRNK';
const PREFIX_BYTES = 8;
const align4 = (n: number): number => (n + 3) & ~3;
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

export function encodeRankerArtifact({ header, weights }: RankerArtifact): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const weightsStart = align4(PREFIX_BYTES + json.length);
  const totalFloats = weights.reduce((n, w) => n + w.length, 0);
  const bytes = new Uint8Array(weightsStart + totalFloats * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < MAGIC.length; i++) bytes[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, json.length, true);
  bytes.set(json, PREFIX_BYTES);
  let offset = weightsStart;
  for (const w of weights) {
    for (let i = 0; i < w.length; i++, offset += 4) view.setFloat32(offset, w[i], true);
  }
  return bytes;
}

export function decodeRankerArtifact(bytes: Uint8Array): RankerArtifact {
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new Error(`not a learned ranker artifact (magic ${JSON.stringify(magic)})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + jsonLength))) as RankerArtifactHeader;
  if (header.format !== 'lemo-learned-ranker' || header.formatVersion !== 1) throw new Error(`unsupported ranker artifact ${header.format} v${header.formatVersion}`);
  let offset = align4(PREFIX_BYTES + jsonLength);
  const expected = offset + header.weights.reduce((n, w) => n + size(w.shape) * 4, 0);
  if (bytes.byteLength !== expected) throw new Error(`truncated ranker artifact: ${bytes.byteLength} bytes, expected ${expected}`);
  const weights = header.weights.map(({ shape }) => {
    const values = new Float32Array(size(shape));
    for (let i = 0; i < values.length; i++, offset += 4) values[i] = view.getFloat32(offset, true);
    return values;
  });
  return { header, weights };
}
