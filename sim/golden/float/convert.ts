import { decodeFlushed } from './decode.ts';
import type { AnyFormat, FloatFormat } from './format.ts';
import { roundToFormat } from './round.ts';
import { roundAtQuantum, type FloatRounding } from './rounding.ts';
import { valueFromBigInt } from './value.ts';
import type { FloatArithOptions } from './arith.ts';

/**
 * Converts a code of `from` (any format, including E8M0 and MXINT8) to `to` with one rounding of the
 * exact value (`roundToFormat` contract: direct subnormal rounding, overflow per `saturate`, NaN →
 * canonical NaN of `to`, zeros keep their sign). `flushInput` reads subnormal inputs as signed zeros.
 */
export function floatConvert(from: AnyFormat, to: FloatFormat, code: number, opts: FloatArithOptions = {}): number {
  return roundToFormat(to, decodeFlushed(from, code, opts.flushInput ?? false), opts);
}

/** Integer conversion options; the target is a `width`-bit two's-complement (`signed`) or unsigned integer. */
export interface FloatToIntOptions {
  readonly width: number;
  readonly signed: boolean;
  /** Default `rne`. */
  readonly rounding?: FloatRounding;
  /** Default false. */
  readonly flushInput?: boolean;
  /** Result for a NaN input; default 0 (as Arm and CUDA `cvt.sat`). */
  readonly nanResult?: bigint;
}

/**
 * Float code → integer: the exact value rounded to an integer with `rounding`, then saturated to the
 * target range (±Inf saturate too). Always saturating: wrapping conversions are a separate integer op.
 */
export function floatToInt(fmt: AnyFormat, code: number, opts: FloatToIntOptions): bigint {
  if (!Number.isInteger(opts.width) || opts.width < 1) throw new RangeError(`toInt: bad width ${opts.width}`);
  const w = BigInt(opts.width);
  const lo = opts.signed ? -(1n << (w - 1n)) : 0n;
  const hi = opts.signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  const v = decodeFlushed(fmt, code, opts.flushInput ?? false);
  let n: bigint;
  switch (v.kind) {
    case 'nan':
      return opts.nanResult ?? 0n;
    case 'inf':
      return v.neg ? lo : hi;
    case 'zero':
      return 0n;
    case 'finite': {
      const mag = roundAtQuantum(v, 0, opts.rounding ?? 'rne');
      n = v.neg ? -mag : mag;
    }
  }
  return n < lo ? lo : n > hi ? hi : n;
}

/** Integer → code of `fmt`, correctly rounded (`roundToFormat` contract). 0 gives +0. */
export function intToFloat(fmt: FloatFormat, n: bigint, opts: FloatArithOptions = {}): number {
  return roundToFormat(fmt, valueFromBigInt(n), opts);
}
