/**
 * Overflow handling of a rounded code into a target format's code range: WRAP keeps the low
 * bits; SAT clamps; SAT_ZERO gives 0 for any out-of-range code; SAT_SYM clamps to [-MAX, MAX]
 * (signed; unsigned SAT_SYM is SAT).
 */
import type { Sig } from '../builder/signal.ts';
import { codeType } from '../types/bits.ts';
import { type FixedFormat } from '../../formats/fixed.ts';
import { maxValue, minValue } from '../types/bits.ts';
import type { OverflowMode } from './modes.ts';
import { assertNever } from '../ir/nodes.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

export function applyOverflowSig(code: Sig, to: FixedFormat, o: OverflowMode): Sig {
  return atCallerLoc(() => {
    const t = codeType(to);
    const hi = maxValue(t);
    const lo = o === 'SAT_SYM' && t.signed ? -hi : minValue(t);
    // Exact comparisons on the unbounded code decide; the chosen value is then narrowed.
    const over = code.gt(hi);
    const under = code.lt(lo);
    const inRange = wrapTo(code, to);
    const k = (v: bigint): Sig => code.constantOf(v, t);
    switch (o) {
      case 'WRAP': return inRange;
      case 'SAT': case 'SAT_SYM': return over.choose(k(hi), under.choose(k(lo), inRange));
      case 'SAT_ZERO': return over.or(under).choose(k(0n), inRange);
      default: return assertNever(o, 'overflow mode');
    }
  });
}

/** Low `to.width` bits of the code, read with the target's signedness. */
function wrapTo(code: Sig, to: FixedFormat): Sig {
  const bits = code.width >= to.width ? code.slice(to.width - 1, 0) : code.ext(to.width).asUnsigned();
  return to.signed ? bits.asSigned() : bits;
}
