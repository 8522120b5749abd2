import type { Rational } from '../rational.ts';

/** The eight ac_fixed quantization modes (ap_fixed has all but RND_CONV_ODD). */
export type FixedQuantization = 'TRN' | 'TRN_ZERO' | 'RND' | 'RND_ZERO' | 'RND_INF' | 'RND_MIN_INF' | 'RND_CONV' | 'RND_CONV_ODD';

export const FIXED_QUANTIZATIONS: readonly FixedQuantization[] = ['TRN', 'TRN_ZERO', 'RND', 'RND_ZERO', 'RND_INF', 'RND_MIN_INF', 'RND_CONV', 'RND_CONV_ODD'];

/**
 * Rounds x to an integer number of quanta 2^-fracBits, with no range limit (overflow is applied after).
 * With t = floor(x / q), qb = first dropped bit, r = any dropped bit below it, s = (x < 0) and
 * lsb = t & 1, the result is t + inc (SCHEMA.md fixed_cast):
 * TRN never; TRN_ZERO s&(qb|r); RND qb; RND_ZERO qb&(s|r); RND_INF qb&(!s|r); RND_MIN_INF qb&r;
 * RND_CONV qb&(lsb|r); RND_CONV_ODD qb&(!lsb|r).
 */
export function quantizeToCode(x: Rational, fracBits: number, mode: FixedQuantization): bigint {
  const scaled = x.mulPow2(fracBits);
  const t = scaled.floor();
  // Dropped part as a fraction rem/den in [0, 1).
  const rem = scaled.num - t * scaled.den;
  const twice = 2n * rem;
  const qb = twice >= scaled.den;
  const r = qb ? twice > scaled.den : rem > 0n;
  const s = x.sign() < 0;
  const lsb = (t & 1n) === 1n;
  return t + (increment(mode, qb, r, s, lsb) ? 1n : 0n);
}

function increment(mode: FixedQuantization, qb: boolean, r: boolean, s: boolean, lsb: boolean): boolean {
  switch (mode) {
    case 'TRN': return false;
    case 'TRN_ZERO': return s && (qb || r);
    case 'RND': return qb;
    case 'RND_ZERO': return qb && (s || r);
    case 'RND_INF': return qb && (!s || r);
    case 'RND_MIN_INF': return qb && r;
    case 'RND_CONV': return qb && (lsb || r);
    case 'RND_CONV_ODD': return qb && (!lsb || r);
  }
}
