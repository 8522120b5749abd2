/**
 * Float datapath of `systolic_array` PEs (`PeDatapath`, see `pe-os.ts` / `pe-ws.ts` for the
 * shells): operands are float codes (UInt(width) of their formats, any two formats), the
 * accumulator / partial sum is a float code of the accumulator format (UInt(width); +0 is code
 * 0, so the shells' zero constants and resets are +0).
 *
 * One multiply-accumulate, combinational (the PE registers its result; latency is the shell's):
 * - `fused` = true: fma(a, b, acc): the exact product added exactly to acc, rounded once to the
 *   accumulator format (`floatFma` of the float layer).
 * - `fused` = false: the product rounded to the accumulator format first (`floatMul`; it may
 *   overflow or flush), then acc + that rounded product rounded (`floatAdd`): two roundings.
 * Round-to-nearest-even; IEEE overflow (±Inf, or NaN for `fn`/`fnuz` accumulators, ±max for
 * `none`); NaN results are the accumulator's canonical NaN; subnormals per `subnormals` (flush:
 * a, b and acc read as ±0 when subnormal, every rounded result below the smallest normal
 * flushed to ±0 before rounding). The same numerics as `fp_mac` (golden `dotTree` with one lane
 * and the accumulator as addend).
 */
import type { Sig } from '../builder/signal.ts';
import { asFloat, describeRounding, type FloatFormat, type FloatOpOptions, type SubnormalMode } from '../float/format.ts';
import { floatAdd, floatFma, floatMul } from '../float/arith.ts';
import { UInt } from '../builder/module.ts';
import type { PeDatapath } from './pe-os.ts';

export interface FloatPeFormats {
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly acc: FloatFormat;
  /** true: one rounding per step (fma); false: the product is rounded to `acc` first. */
  readonly fused: boolean;
  readonly subnormals: SubnormalMode;
}

/** The float op options of a float PE (round-to-nearest-even, IEEE overflow). */
export function floatPeOptions(f: FloatPeFormats): FloatOpOptions {
  return { saturate: false, subnormals: f.subnormals };
}

/** The update rule in words, e.g. `fma(a, b, acc) (exact product, one rounding to fp32)`. */
export function floatMacRule(f: FloatPeFormats, acc: string, b = 'b'): string {
  return f.fused
    ? `fma(a, ${b}, ${acc}) (the exact product added exactly, one rounding to ${f.acc.name})`
    : `${acc} + round(a*${b}) (the product rounded to ${f.acc.name} first, then the sum: two roundings)`;
}

/** The float multiply-accumulate: UInt(acc.width) code of acc + a*b per `fused` (see the file header). */
export function floatMac(a: Sig, b: Sig, acc: Sig, f: FloatPeFormats): Sig {
  const o = floatPeOptions(f);
  const fa = asFloat(a, f.a);
  const fb = asFloat(b, f.b);
  const fc = asFloat(acc, f.acc);
  if (f.fused) return floatFma(fa, fb, fc, f.acc, o).sig;
  return floatAdd(floatMul(fa, fb, f.acc, o), fc, f.acc, o).sig;
}

export function floatDatapath(f: FloatPeFormats): PeDatapath {
  const rounding = describeRounding(f.acc, floatPeOptions(f));
  return {
    aT: UInt(f.a.width),
    bT: UInt(f.b.width),
    accT: UInt(f.acc.width),
    osDocs: [
      `output-stationary float PE: a ${f.a.name}, b ${f.b.name}, accumulator ${f.acc.name}`,
      `acc <= last ? +0 : ${floatMacRule(f, 'acc')} when valid; result <= the same sum when last; drain <= load ? result : drain_in`,
      rounding,
    ],
    wsDocs: [
      `weight-stationary float PE: a ${f.a.name}, w ${f.b.name}, partial sums ${f.acc.name}`,
      `w <= w_in when w_load; psum_out <= ${floatMacRule(f, 'psum_in', 'w')}`,
      rounding,
    ],
    mac: (a, b) => (acc) => floatMac(a, b, acc, f),
  };
}
