import { joinCode } from './decode.ts';
import type { FloatFormat } from './format.ts';
import { magnitudeLog2, overflowsToMax, roundAtQuantum, type Magnitude, type FloatRounding } from './rounding.ts';
import type { ExactValue } from './value.ts';

/**
 * Output subnormal flushing: `off` keeps subnormals; `before-rounding` gives the signed zero for any
 * exact magnitude below the smallest normal (tininess before rounding, as Arm FZ); `after-rounding`
 * gives it when the value rounded to the format's precision with an unbounded exponent is still below
 * the smallest normal (tininess after rounding, as x86 FTZ).
 */
export type FloatFlushMode = 'off' | 'before-rounding' | 'after-rounding';

export interface FloatRoundOptions {
  /** Default `rne`. */
  readonly rounding?: FloatRounding;
  /**
   * Default false. true: any overflow (and ±Inf input) gives ±max finite. false: IEEE overflow — `ieee`
   * formats give ±Inf (or ±max when the mode rounds toward zero for that sign), `fn`/`fnuz` formats
   * give NaN (or ±max likewise), `none` formats always give ±max (they have nothing else).
   */
  readonly saturate?: boolean;
  /** Default `off`. */
  readonly flushOutput?: FloatFlushMode;
}

/**
 * The one rounding routine: exact value → code of `fmt`, correctly rounded (a single rounding of the
 * exact value; subnormal results are rounded directly at the subnormal quantum, a carry may step into
 * the next binade).
 *
 * Contract:
 * - overflow: decided on the magnitude rounded as if the exponent range were unbounded above (so in
 *   E4M3, 464 ties to 448 and does not overflow; 465 overflows); the result is per `saturate`.
 * - ±Inf input: ±Inf for `ieee` unless saturating; ±max when saturating or for `none`; NaN for
 *   `fn`/`fnuz` without saturation.
 * - NaN input: the canonical NaN `fmt.nanCode` (ieee: positive quiet NaN, top mantissa bit set;
 *   fn: 0x7f-style all ones; fnuz: 0x80). Throws RangeError for a `none` format, which has no NaN.
 * - zeros keep their sign, as do non-zero values that round to zero; `fnuz` has only +0.
 */
export function roundToFormat(fmt: FloatFormat, x: ExactValue, opts: FloatRoundOptions = {}): number {
  const mode = opts.rounding ?? 'rne';
  const saturate = opts.saturate ?? false;
  switch (x.kind) {
    case 'nan':
      return nanCodeOf(fmt);
    case 'zero':
      return signedZero(fmt, x.neg);
    case 'inf':
      return overflowCode(fmt, x.neg, saturate ? 'max' : 'inf');
    case 'finite':
    case 'ratio':
      return roundMagnitude(fmt, x, mode, saturate, opts.flushOutput ?? 'off');
  }
}

/** Canonical NaN code of `fmt`; throws RangeError when the format has no NaN. */
export function nanCodeOf(fmt: FloatFormat): number {
  if (fmt.nanCode === undefined) throw new RangeError(`${fmt.name} has no NaN encoding`);
  return fmt.nanCode;
}

function signedZero(fmt: FloatFormat, neg: boolean): number {
  return neg && fmt.encoding !== 'fnuz' ? fmt.signMask : 0;
}

function overflowCode(fmt: FloatFormat, neg: boolean, want: 'max' | 'inf'): number {
  const max = (neg ? fmt.signMask : 0) + fmt.maxCode;
  if (want === 'max' || fmt.encoding === 'none') return max;
  if (fmt.infCode !== undefined) return (neg ? fmt.signMask : 0) + fmt.infCode;
  return nanCodeOf(fmt);
}

function roundMagnitude(fmt: FloatFormat, x: Magnitude, mode: FloatRounding, saturate: boolean, flush: FloatFlushMode): number {
  const m = fmt.manBits;
  const e = magnitudeLog2(x);
  if (flush !== 'off' && e < fmt.emin) {
    // Tiny before rounding. After rounding it is tiny unless the unbounded-range rounding carries up to 2^emin.
    const carries = flush === 'after-rounding' && e === fmt.emin - 1 && roundAtQuantum(x, e - m, mode) >> BigInt(m + 1) === 1n;
    if (!carries) return signedZero(fmt, x.neg);
  }
  const q = Math.max(e, fmt.emin) - m;
  const t = roundAtQuantum(x, q, mode);
  if (t === 0n) return signedZero(fmt, x.neg);
  if (e > fmt.emax || (q === fmt.emax - m && t > fmt.maxSig)) {
    return overflowCode(fmt, x.neg, saturate || overflowsToMax(mode, x.neg) ? 'max' : 'inf');
  }
  const hidden = 1n << BigInt(m);
  if (t < hidden) return joinCode(fmt, x.neg, 0, Number(t));
  // A carry out of the significand (t = 2^(m+1)) is the next binade with a zero mantissa.
  const carry = t >> BigInt(m + 1) === 1n ? 1 : 0;
  const expField = q + m + fmt.bias + carry;
  return joinCode(fmt, x.neg, expField, carry ? 0 : Number(t - hidden));
}
