/**
 * The rounding increment when `drop` low bits of a code are discarded: with t = floor(x/2^drop),
 * qb the first dropped bit, r = OR of the dropped bits below it, s the sign and lsb = t & 1,
 * the rounded code is t + inc (the table of the golden library's `fixed_cast`).
 */
import type { Sig } from '../builder/signal.ts';
import type { QuantizationMode } from './modes.ts';
import { assertNever } from '../ir/nodes.ts';
import { UInt } from '../builder/module.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

/** UInt(1) increment, or undefined when the mode never rounds up (TRN). */
export function roundIncrement(x: Sig, drop: number, q: QuantizationMode): Sig | undefined {
  return atCallerLoc(() => {
    const w = x.width;
    const zero = x.constantOf(0n, UInt(1));
    // Bits at or beyond the width are copies of the sign (signed) or zeros.
    const ext = (i: number): Sig => (i < w ? x.bit(i) : x.signed ? x.bit(w - 1) : zero);
    const qb = ext(drop - 1);
    // Dropped bits below qb; extension copies of the sign add nothing once all of x is included.
    const r = drop >= 2 ? x.slice(Math.min(drop - 2, w - 1), 0).orR() : zero;
    const s = x.signed ? x.bit(w - 1) : zero;
    const lsb = ext(drop);
    switch (q) {
      case 'TRN': return undefined;
      case 'TRN_ZERO': return s.and(qb.or(r));
      case 'RND': return qb;
      case 'RND_ZERO': return qb.and(s.or(r));
      case 'RND_INF': return qb.and(s.not().or(r));
      case 'RND_MIN_INF': return qb.and(r);
      case 'RND_CONV': return qb.and(lsb.or(r));
      case 'RND_CONV_ODD': return qb.and(lsb.not().or(r));
      default: return assertNever(q, 'quantization mode');
    }
  });
}
