/**
 * 32-bit string hash: FNV-1a over UTF-16 code units, finished with the
 * murmur3 fmix32 avalanche so that low bits (used for bucket indices) and the
 * top bit (used for signs) are well mixed. Deterministic across processes.
 */
export function hashString(value: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
