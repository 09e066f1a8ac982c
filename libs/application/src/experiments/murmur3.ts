/**
 * MurmurHash3 x86 32-bit over the UTF-8 bytes of a string. Assignments must
 * never change while an experiment runs, so the hash is pinned here rather
 * than borrowed from engine code that may be retuned; and it is the standard
 * function (ClickHouse `murmurHash3_32`, Python `mmh3.hash`), so analysts can
 * recompute any user's bucket outside this service.
 *
 * The string is UTF-8 encoded on the fly into 4-byte blocks: no Buffer per
 * call, as this runs for every experiment of every recommendation request.
 */
// Module-level alias: under Jest's vm sandbox every lookup of the global `Math` goes through
// an interceptor, which made hashing ~7× slower in tests; a local binding avoids it.
const imul = Math.imul;

export function murmur3(value: string, seed = 0): number {
  let h = seed >>> 0;
  let block = 0;
  let blockBytes = 0;
  let length = 0;
  const push = (byte: number): void => {
    block |= byte << (8 * blockBytes);
    length++;
    if (++blockBytes === 4) {
      h ^= scramble(block);
      h = (h << 13) | (h >>> 19);
      h = (imul(h, 5) + 0xe6546b64) | 0;
      block = 0;
      blockBytes = 0;
    }
  };
  for (let i = 0; i < value.length; i++) {
    let code = value.charCodeAt(i);
    if (code < 0x80) {
      push(code);
      continue;
    }
    if (code >= 0xd800 && code < 0xdc00 && i + 1 < value.length) {
      const low = value.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    // Lone surrogates encode as U+FFFD, like Buffer.from and TextEncoder.
    if (code >= 0xd800 && code < 0xe000) code = 0xfffd;
    if (code < 0x800) {
      push(0xc0 | (code >> 6));
    } else if (code < 0x10000) {
      push(0xe0 | (code >> 12));
      push(0x80 | ((code >> 6) & 0x3f));
    } else {
      push(0xf0 | (code >> 18));
      push(0x80 | ((code >> 12) & 0x3f));
      push(0x80 | ((code >> 6) & 0x3f));
    }
    push(0x80 | (code & 0x3f));
  }
  if (blockBytes > 0) h ^= scramble(block);
  h ^= length;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function scramble(block: number): number {
  let k = imul(block, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  return imul(k, 0x1b873593);
}
