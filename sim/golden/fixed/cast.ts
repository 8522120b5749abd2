import { Rational } from '../rational.ts';
import { type FixedType, type FixedValue, fixedToRational, fracBits } from './fixed-type.ts';
import { type FixedOverflow, applyOverflow } from './overflow.ts';
import { type FixedQuantization, quantizeToCode } from './quantization.ts';

/**
 * Assigns an exact real to a fixed type the way ac_fixed / ap_fixed do: quantization first (on the
 * unbounded code), then overflow on the rounded code, so rounding itself can overflow.
 */
export function fixedCast(x: Rational, type: FixedType, quantization: FixedQuantization, overflow: FixedOverflow): FixedValue {
  const code = quantizeToCode(x, fracBits(type), quantization);
  return { type, code: applyOverflow(code, type, overflow) };
}

/** fixedCast of a decimal or `p/q` string (see Rational.parse). */
export function fixedFromString(text: string, type: FixedType, quantization: FixedQuantization, overflow: FixedOverflow): FixedValue {
  return fixedCast(Rational.parse(text), type, quantization, overflow);
}

/** Re-casts a fixed value to another type (same rules as fixedCast of its exact value). */
export function fixedConvert(v: FixedValue, type: FixedType, quantization: FixedQuantization, overflow: FixedOverflow): FixedValue {
  return fixedCast(fixedToRational(v), type, quantization, overflow);
}
