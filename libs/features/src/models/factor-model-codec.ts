/**
 * The artifact format of the factor models (ALS, BPR): a small header and the
 * raw float arrays, so saving and loading a model is a copy, not a parse.
 *
 *   offset  size          field
 *   0       4             magic "LMFM"
 *   4       2             format version (1)
 *   6       2             reserved (0)
 *   8       8             algorithm name, ASCII, zero-padded
 *   16      4 × 5         users, items, factors, scalar count S, array count A (u32)
 *   36      8 × S         scalars (f64): the algorithm's params, in its own fixed order
 *   ..      4 × A         array lengths in floats (u32)
 *   ..      4 × Σ lengths the arrays (f32), one after the other
 *
 * Everything is little-endian. Floats are copied as bytes for speed, which is
 * only correct on a little-endian host: every platform Node ships for in
 * practice, and the codec refuses to run anywhere else rather than corrupt data.
 */

const MAGIC = 0x4d464d4c; // "LMFM" read as a little-endian u32
const FORMAT_VERSION = 1;
const NAME_BYTES = 8;
const FIXED_HEADER_BYTES = 36;

export interface FactorModelPayload {
  algorithm: string;
  users: number;
  items: number;
  factors: number;
  scalars: Float64Array;
  arrays: Float32Array[];
}

export function encodeFactorModel(payload: FactorModelPayload): Uint8Array {
  assertLittleEndianHost();
  const { algorithm, scalars, arrays } = payload;
  if (algorithm.length > NAME_BYTES || !/^[\x20-\x7e]*$/.test(algorithm)) throw new RangeError(`algorithm name must be at most ${NAME_BYTES} ASCII characters, got '${algorithm}'`);
  const dataStart = FIXED_HEADER_BYTES + 8 * scalars.length + 4 * arrays.length;
  const size = arrays.reduce((total, array) => total + array.byteLength, dataStart);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint16(4, FORMAT_VERSION, true);
  for (let c = 0; c < algorithm.length; c++) bytes[8 + c] = algorithm.charCodeAt(c);
  [payload.users, payload.items, payload.factors, scalars.length, arrays.length].forEach((value, k) => view.setUint32(16 + 4 * k, value, true));
  let offset = FIXED_HEADER_BYTES;
  for (const scalar of scalars) {
    view.setFloat64(offset, scalar, true);
    offset += 8;
  }
  for (const array of arrays) {
    view.setUint32(offset, array.length, true);
    offset += 4;
  }
  for (const array of arrays) {
    bytes.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
    offset += array.byteLength;
  }
  return bytes;
}

/** Decodes an artifact written by encodeFactorModel; the arrays are fresh copies (the input may be reused). */
export function decodeFactorModel(bytes: Uint8Array, expectedAlgorithm: string): FactorModelPayload {
  assertLittleEndianHost();
  if (bytes.byteLength < FIXED_HEADER_BYTES) throw new RangeError(`model artifact too short: ${bytes.byteLength} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw new RangeError('not a factor model artifact (bad magic)');
  const version = view.getUint16(4, true);
  if (version !== FORMAT_VERSION) throw new RangeError(`unsupported factor model format version ${version}`);
  let algorithm = '';
  for (let c = 8; c < 8 + NAME_BYTES && bytes[c] !== 0; c++) algorithm += String.fromCharCode(bytes[c]);
  if (algorithm !== expectedAlgorithm) throw new RangeError(`model artifact is '${algorithm}', expected '${expectedAlgorithm}'`);
  const [users, items, factors, scalarCount, arrayCount] = [0, 1, 2, 3, 4].map((k) => view.getUint32(16 + 4 * k, true));
  let offset = FIXED_HEADER_BYTES;
  const lengthsEnd = offset + 8 * scalarCount + 4 * arrayCount;
  if (lengthsEnd > bytes.byteLength) throw new RangeError('model artifact truncated (header)');
  const scalars = new Float64Array(scalarCount);
  for (let s = 0; s < scalarCount; s++, offset += 8) scalars[s] = view.getFloat64(offset, true);
  const lengths: number[] = [];
  for (let a = 0; a < arrayCount; a++, offset += 4) lengths.push(view.getUint32(offset, true));
  const expectedSize = lengths.reduce((total, length) => total + 4 * length, lengthsEnd);
  if (expectedSize !== bytes.byteLength) throw new RangeError(`model artifact size ${bytes.byteLength} does not match its header (${expectedSize})`);
  const arrays = lengths.map((length) => {
    const array = new Float32Array(length);
    new Uint8Array(array.buffer).set(bytes.subarray(offset, offset + 4 * length));
    offset += 4 * length;
    return array;
  });
  return { algorithm, users, items, factors, scalars, arrays };
}

function assertLittleEndianHost(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('factor model artifacts need a little-endian host');
}
