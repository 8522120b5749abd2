/**
 * The one rounding routine of the float layer: an exact (or sticky-marked) value to a code of a
 * target format, round-to-nearest-even, with the golden `roundToFormat` contract.
 */
import { UInt } from '../builder/module.ts';
import type { Sig } from '../builder/signal.ts';
import type { FloatFormat, FloatOpOptions } from './format.ts';
import type { ExactFloat } from './unpack.ts';
import { cat, clampToUInt, normalize, shrSticky, zeros } from './bits.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

/**
 * Rounds (-1)^sign · sig · 2^exp (plus, when `sticky` is 1, a positive amount below sig's LSB) to
 * `target`, round-to-nearest-even, as a UInt(target.width) code:
 * - the significand is normalized (leading-zero count), the quantum is 2^(max(E, emin) - m) for
 *   the value's top-bit exponent E, so subnormal results are rounded directly at their quantum;
 *   a carry may step into the next binade (or from the largest subnormal to the smallest normal);
 * - overflow is decided on the value rounded with an unbounded exponent range (E4M3: 464 ties
 *   down to 448, 465 overflows) and gives ±max when `saturate` or for `none` formats, else ±Inf
 *   (`ieee`) or the canonical NaN (`fn`, `fnuz`);
 * - `subnormals: 'flush'`: any value with E < emin gives the zero of its sign (before rounding);
 * - sig = 0 gives the zero of `sign` (`fnuz`: +0); values rounding to zero keep their sign.
 * Precondition when `sticky` may be 1: sig has a 1 at least m + 2 places above its LSB, so the
 * rounding point always lies above the sticky position.
 * Width: UInt(target.width). NaN/Inf inputs are the caller's (see `roundExact`).
 */
export function roundFloat(sign: Sig, exp: Sig, sig: Sig, sticky: Sig | undefined, target: FloatFormat, opts: FloatOpOptions, cut?: RoundCut): Sig {
  return atCallerLoc(() => {
    const first = alignForRounding(sign, exp, sig, sticky, target);
    return roundAligned(cut ? cut(first) : first, target, opts);
  });
}

/**
 * A pipeline cut inside `roundFloat`: called with the signals that cross from its first half
 * (normalize, top-bit exponent, denormalizing shift with sticky) to its second half (increment,
 * pack, overflow); returns the signals the second half uses instead (e.g. registered copies).
 */
export type RoundCut = <T extends Readonly<Record<string, Sig>>>(signals: T) => T;

/** What crosses a `RoundCut`: the value shifted to its quantum, its top-bit exponent and class. */
type Aligned = { readonly sign: Sig; readonly E: Sig; readonly tiny: Sig; readonly isZero: Sig; readonly d: Sig; readonly lost: Sig };

/** First half of `roundFloat`: normalize, top-bit exponent E, shift to the quantum (sticky `lost`). */
function alignForRounding(sign: Sig, exp: Sig, sig: Sig, sticky: Sig | undefined, target: FloatFormat): Aligned {
  const m = target.manBits;
  let s = sticky ? cat(sig, sticky) : sig;
  let e0 = sticky ? exp.sub(1) : exp;
  if (s.width < m + 3) {
    const k = m + 3 - s.width;
    s = s.shl(k);
    e0 = e0.sub(k);
  }
  const W = s.width;
  const isZero = s.orR().not();
  const { sig: n, lz } = normalize(s);
  lz.named('lzc');
  n.named('mant_norm');
  // Exponent of the top bit of the value.
  const E = e0.add(W - 1).sub(lz).named('exp_top');
  const tiny = E.lt(target.emin).named('tiny');
  const amt = clampToUInt(E.sub(target.emin).neg(), m + 3).named('denorm_shift');
  const { sig: d, sticky: lost } = shrSticky(n, amt);
  return { sign, E, tiny, isZero, d, lost };
}

/** Second half of `roundFloat`: round-to-nearest-even increment, code, flush and overflow. */
function roundAligned(x: Aligned, target: FloatFormat, opts: FloatOpOptions): Sig {
  const { sign, E, tiny, isZero, d, lost } = x;
  const m = target.manBits;
  const W = d.width;
  const t = d.slice(W - 1, W - 1 - m);
  const guard = d.bit(W - 2 - m);
  const rest = W - 3 - m >= 0 ? d.slice(W - 3 - m, 0).orR().or(lost) : lost;
  const inc = guard.and(rest.or(t.bit(0))).named('round_up');
  const tr = t.add(inc).named('mant_rounded');
  // Biased exponent minus one, shifted over the mantissa, plus the rounded significand: the
  // hidden bit (or a carry) steps the exponent field; subnormals have base 0.
  const base = tiny.choose(E.constantOf(BigInt(target.emin), E.type), E).add(target.bias - 1);
  const codeMag = base.shl(m).add(tr);
  const over = codeMag.gt(target.maxCode).named('overflow');
  const magW = target.width - 1;
  const zeroRes = opts.subnormals === 'flush' ? isZero.or(tiny) : isZero;
  const mag = zeroRes.choose(zeros(d, magW), codeMag.slice(magW - 1, 0));
  const signOut = target.encoding === 'fnuz' ? sign.and(mag.orR()) : sign;
  const normalCode = cat(signOut, mag);
  const overflowCode = overflowCodeOf(sign, target, opts.saturate);
  return over.and(zeroRes.not()).choose(overflowCode, normalCode);
}

/** Code of an overflowed result (or ±Inf input) of `sign`. */
export function overflowCodeOf(sign: Sig, target: FloatFormat, saturate: boolean): Sig {
  const magW = target.width - 1;
  if (saturate || target.encoding === 'none') return cat(sign, sign.constantOf(BigInt(target.maxCode), UInt(magW)));
  if (target.infCode !== undefined) return cat(sign, sign.constantOf(BigInt(target.infCode), UInt(magW)));
  return nanCodeOf(sign, target);
}

/** The canonical NaN code of `target`; +0 for a format without NaN (`none`: FP6/FP4). */
export function nanCodeOf(anySig: Sig, target: FloatFormat): Sig {
  return anySig.constantOf(BigInt(target.nanCode ?? 0), UInt(target.width));
}

/** Rounds an exact value with specials: NaN → canonical NaN, ±Inf → `overflowCodeOf`, else `roundFloat`. */
export function roundExact(x: ExactFloat, target: FloatFormat, opts: FloatOpOptions, sticky?: Sig, cut?: RoundCut): Sig {
  return atCallerLoc(() => {
    const r = roundFloat(x.sign, x.exp, x.sig, sticky, target, opts, cut);
    // The specials cross the same cut as the rounding's first half.
    const f = cut ? cut({ sign: x.sign, nan: x.nan, inf: x.inf }) : x;
    return f.nan.choose(nanCodeOf(f.sign, target), f.inf.choose(overflowCodeOf(f.sign, target, opts.saturate), r));
  });
}
