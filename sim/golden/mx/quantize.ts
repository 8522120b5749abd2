import { e8m0 } from '../float/format.ts';
import { decodeFloat } from '../float/decode.ts';
import { exactMul } from '../float/exact.ts';
import { roundToFormat } from '../float/round.ts';
import { roundAtQuantum, type FloatRounding } from '../float/rounding.ts';
import { dyadic, FLOAT_NAN, valueToRational, type ExactValue, type FloatValue } from '../float/value.ts';
import { Rational } from '../rational.ts';
import type { MxBlock, MxFormat } from './format.ts';

/**
 * Shared-exponent rules (amax = max |V_i| over the block; amax = 0 gives e = -127 under every rule;
 * e is then clamped to [-127, 127] and stored as the E8M0 code e + 127):
 * - `floor` (OCP MX v1.0 reference): e = floor(log2 amax) - emax_elem. The top binade of the block may
 *   exceed the element maximum (E4M3: amax in [464, 512)·2^e); those elements saturate.
 * - `ceil` (Transformer Engine / cuBLAS "RCEIL"): the smallest e with amax / 2^e <= max_elem, so no
 *   element saturates, at the cost of one binade of resolution for some blocks.
 * - `round` (torchao "EVEN"): amax is first rounded to the element precision (m + 1 significant bits,
 *   7 for MXINT8; ties away from zero, unbounded exponent), then the `floor` rule applies. Blocks whose
 *   amax would round up into the next binade get the larger scale; the rest match `floor`.
 */
export type MxScaleRule = 'floor' | 'ceil' | 'round';

export interface MxQuantizeOptions {
  /** Default `floor`. */
  readonly scaleRule?: MxScaleRule;
  /** Element rounding, default `rne` (the OCP reference code rounds ties away: `rna`). */
  readonly elementRounding?: FloatRounding;
}

/** Unclamped shared exponent of a block with maximum magnitude `amax` (> 0) under `rule`. */
export function sharedExponent(fmt: MxFormat, amax: Rational, rule: MxScaleRule): number {
  switch (rule) {
    case 'floor':
      return amax.floorLog2() - fmt.emaxElem;
    case 'ceil': {
      const ratio = amax.div(valueToRational(fmt.maxElem));
      const k = ratio.floorLog2();
      return ratio.eq(Rational.pow2(k)) ? k : k + 1;
    }
    case 'round': {
      const e = amax.floorLog2();
      const q = e - (fmt.precision - 1);
      const t = roundAtQuantum({ kind: 'ratio', neg: false, num: amax.num, den: amax.den }, q, 'rna');
      return Rational.fromInt(t).mulPow2(q).floorLog2() - fmt.emaxElem;
    }
  }
}

/**
 * Quantizes one block of exact reals (OCP MX v1.0 §6.3 conversion): shared exponent per `scaleRule`,
 * then each V_i / 2^e rounded to the element format with `elementRounding`, saturating to ±max (never
 * Inf/NaN); negative values (and -0) that round to zero give the -0 code. MXINT8 elements are
 * round(V_i / 2^e · 64) clamped to [-127, 127] as two's-complement bytes (no -0).
 * A block containing NaN or ±Inf gets the NaN scale 0xff (the whole block decodes to NaN) and +0
 * elements. Throws RangeError unless `values.length` is the format's block size.
 */
export function mxQuantizeBlock(fmt: MxFormat, values: readonly ExactValue[], opts: MxQuantizeOptions = {}): MxBlock {
  if (values.length !== fmt.blockSize) throw new RangeError(`${fmt.name}: block of ${values.length} values, expected ${fmt.blockSize}`);
  const rounding = opts.elementRounding ?? 'rne';
  if (values.some((v) => v.kind === 'nan' || v.kind === 'inf')) {
    return { format: fmt, scale: e8m0.nanCode, elements: values.map(() => 0) };
  }
  let amax = Rational.ZERO;
  for (const v of values) {
    const r = valueToRational(v).abs();
    if (amax.lt(r)) amax = r;
  }
  const raw = amax.isZero() ? -127 : sharedExponent(fmt, amax, opts.scaleRule ?? 'floor');
  const e = Math.min(127, Math.max(-127, raw));
  const elements = values.map((v) => quantizeElement(fmt, scaleByPow2(v, -e), rounding));
  return { format: fmt, scale: e + 127, elements };
}

function quantizeElement(fmt: MxFormat, v: ExactValue, rounding: FloatRounding): number {
  const el = fmt.element;
  if (el.kind === 'float') return roundToFormat(el, v, { rounding, saturate: true });
  if (v.kind === 'zero') return 0;
  if (v.kind !== 'finite' && v.kind !== 'ratio') throw new Error('internal: special value in MXINT8 quantization');
  const mag = roundAtQuantum(v, el.scaleExp, rounding);
  const n = mag > 127n ? 127 : Number(mag);
  return v.neg && n !== 0 ? 256 - n : n;
}

/** v · 2^k exactly. */
export function scaleByPow2(v: ExactValue, k: number): ExactValue {
  switch (v.kind) {
    case 'finite':
      return { ...v, exp: v.exp + k };
    case 'ratio':
      return k >= 0
        ? { ...v, num: v.num << BigInt(k) }
        : { ...v, den: v.den << BigInt(-k) };
    case 'zero':
    case 'inf':
    case 'nan':
      return v;
  }
}

/** Exact values of a block: element · 2^(scale - 127); a NaN scale makes every element NaN. */
export function mxDequantizeBlock(block: MxBlock): FloatValue[] {
  const scale = decodeFloat(e8m0, block.scale);
  return block.elements.map((code) => (scale.kind === 'nan' ? FLOAT_NAN : exactMul(decodeFloat(block.format.element, code), scale)));
}

/** Convenience: the scale as an exact power of two, or NaN. */
export function mxScaleValue(block: MxBlock): FloatValue {
  return block.scale === e8m0.nanCode ? FLOAT_NAN : dyadic(false, 1n, block.scale - 127);
}
