import type { ImplicitModel } from './implicit-model';

/** What a trained recall model carries besides its numbers: the id spaces it was trained on, how, and how well. */
export interface TrainedModelHeader {
  algorithm: string;
  /** item_ids[i] is the item of model index i; user_ids likewise (empty for models that score from history alone). */
  item_ids: string[];
  user_ids: string[];
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  trained_at: string;
}

const MAGIC = 0x4d544d4c; // "LMTM" read as a little-endian u32
const PREFIX_BYTES = 8;

/**
 * The artifact of a trained recall model: "LMTM", the header's length (u32 LE),
 * the header as JSON, then the model's own bytes (its codec's format).
 * JSON keeps the id lists readable by any tool; the numbers stay binary.
 */
export function encodeTrainedModel(header: TrainedModelHeader, model: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const bytes = new Uint8Array(PREFIX_BYTES + json.byteLength + model.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, json.byteLength, true);
  bytes.set(json, PREFIX_BYTES);
  bytes.set(model, PREFIX_BYTES + json.byteLength);
  return bytes;
}

export function decodeTrainedModel(bytes: Uint8Array): { header: TrainedModelHeader; model: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < PREFIX_BYTES || view.getUint32(0, true) !== MAGIC) throw new RangeError('not a trained model artifact (bad magic)');
  const headerEnd = PREFIX_BYTES + view.getUint32(4, true);
  if (headerEnd > bytes.byteLength) throw new RangeError('trained model artifact truncated (header)');
  const header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + PREFIX_BYTES, headerEnd - PREFIX_BYTES).toString('utf8')) as TrainedModelHeader;
  return { header, model: bytes.subarray(headerEnd) };
}

/** Saves and loads one algorithm's models. */
export interface ModelCodec {
  encode(model: ImplicitModel): Uint8Array;
  decode(bytes: Uint8Array): ImplicitModel;
}
