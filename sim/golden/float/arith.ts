import { decodeFlushed } from './decode.ts';
import { exactAdd, exactDiv, exactFma, exactMul, exactSub } from './exact.ts';
import type { FloatFormat } from './format.ts';
import { roundToFormat, type FloatRoundOptions } from './round.ts';

/**
 * Options of the code-level operations: the rounding of the result (`FloatRoundOptions`) and whether
 * subnormal inputs are read as signed zeros (`flushInput`, DAZ). Defaults: rne, no saturation (IEEE
 * overflow), no flushing.
 */
export interface FloatArithOptions extends FloatRoundOptions {
  readonly flushInput?: boolean;
}

/**
 * Correctly rounded IEEE-style operations on codes of one format: the exact result of the
 * operation (see `exact.ts` for specials and zero signs) rounded once by `roundToFormat`. NaN results
 * are the format's canonical NaN (`fmt.nanCode`); payloads are never propagated.
 */
export function floatAdd(fmt: FloatFormat, a: number, b: number, opts: FloatArithOptions = {}): number {
  const f = opts.flushInput ?? false;
  return roundToFormat(fmt, exactAdd(decodeFlushed(fmt, a, f), decodeFlushed(fmt, b, f), opts.rounding), opts);
}

/** a - b, correctly rounded. */
export function floatSub(fmt: FloatFormat, a: number, b: number, opts: FloatArithOptions = {}): number {
  const f = opts.flushInput ?? false;
  return roundToFormat(fmt, exactSub(decodeFlushed(fmt, a, f), decodeFlushed(fmt, b, f), opts.rounding), opts);
}

/** a · b, correctly rounded. */
export function floatMul(fmt: FloatFormat, a: number, b: number, opts: FloatArithOptions = {}): number {
  const f = opts.flushInput ?? false;
  return roundToFormat(fmt, exactMul(decodeFlushed(fmt, a, f), decodeFlushed(fmt, b, f)), opts);
}

/** Fused a · b + c: one rounding of the exact result (IEEE fusedMultiplyAdd). */
export function floatFma(fmt: FloatFormat, a: number, b: number, c: number, opts: FloatArithOptions = {}): number {
  const f = opts.flushInput ?? false;
  const [va, vb, vc] = [decodeFlushed(fmt, a, f), decodeFlushed(fmt, b, f), decodeFlushed(fmt, c, f)];
  return roundToFormat(fmt, exactFma(va, vb, vc, opts.rounding), opts);
}

/**
 * Unfused a · b + c: the product is rounded to `fmt` first (with the same options, so it may overflow
 * to Inf or saturate, and may be flushed), then the sum is rounded. The rounded product is used as is
 * (not re-flushed as an input).
 */
export function floatMulAdd(fmt: FloatFormat, a: number, b: number, c: number, opts: FloatArithOptions = {}): number {
  const p = floatMul(fmt, a, b, opts);
  const f = opts.flushInput ?? false;
  return roundToFormat(fmt, exactAdd(decodeFlushed(fmt, p, false), decodeFlushed(fmt, c, f), opts.rounding), opts);
}

/** a / b, correctly rounded (one rounding of the exact quotient; x/0 = ±Inf, 0/0 = NaN). */
export function floatDiv(fmt: FloatFormat, a: number, b: number, opts: FloatArithOptions = {}): number {
  const f = opts.flushInput ?? false;
  return roundToFormat(fmt, exactDiv(decodeFlushed(fmt, a, f), decodeFlushed(fmt, b, f)), opts);
}
