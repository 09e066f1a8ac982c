/**
 * Splits text into lowercase word tokens for the content embedding.
 * Latin-script (and other space-separated) words are kept whole, with a light
 * plural strip; CJK runs have no spaces, so they become overlapping character
 * bigrams (a lone character stays a unigram). Stop words and one-letter
 * non-digit tokens are dropped.
 */
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const TOKEN = new RegExp(`[${CJK}]+|(?:(?![${CJK}])[\\p{L}\\p{N}])+`, 'gu');
const CJK_RUN = new RegExp(`^[${CJK}]`, 'u');

const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for from has have in into is it its of on or that the their this to was were will with you your our we not no'.split(' '),
);

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

/** Appends the tokens of `text` to `out` and returns it. */
export function tokenize(text: string, out: string[] = []): string[] {
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    const run = match[0];
    if (CJK_RUN.test(run)) {
      const chars = Array.from(run);
      if (chars.length === 1) out.push(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
    } else if (!STOP_WORDS.has(run) && (run.length > 1 || (run >= '0' && run <= '9'))) {
      out.push(stem(run));
    }
  }
  return out;
}
