import { type FixedType, codeMax, codeMin } from './fixed-type.ts';

/** The four ac_fixed overflow modes (ap_fixed's AP_WRAP, AP_SAT, AP_SAT_ZERO, AP_SAT_SYM). */
export type FixedOverflow = 'WRAP' | 'SAT' | 'SAT_ZERO' | 'SAT_SYM';

export const FIXED_OVERFLOWS: readonly FixedOverflow[] = ['WRAP', 'SAT', 'SAT_ZERO', 'SAT_SYM'];

/**
 * Brings an unbounded code into the type's code range: WRAP keeps the low `width` bits; SAT clamps to
 * [MIN, MAX]; SAT_ZERO gives 0 for any out-of-range code; SAT_SYM (signed) clamps to [-MAX, MAX], so a
 * code equal to MIN also becomes -MAX (the source is an unconstrained real); unsigned SAT_SYM = SAT.
 */
export function applyOverflow(code: bigint, t: FixedType, mode: FixedOverflow): bigint {
  const max = codeMax(t);
  const min = mode === 'SAT_SYM' && t.signed ? -max : codeMin(t);
  switch (mode) {
    case 'WRAP': return t.signed ? BigInt.asIntN(t.width, code) : BigInt.asUintN(t.width, code);
    case 'SAT':
    case 'SAT_SYM': return code < min ? min : code > max ? max : code;
    case 'SAT_ZERO': return code < min || code > max ? 0n : code;
  }
}
