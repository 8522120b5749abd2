/**
 * `fp_convert`: conversion y = round(a) (combinational, latency 0) between float formats, or between
 * a float format and an integer format:
 * - float -> float: one rounding of the exact value (round-to-nearest-even); overflow per
 *   `saturate`; subnormals per `subnormals`;
 * - int<N>/uint<N>/fixed<W,I> -> float: `intToFloat` (one round-to-nearest-even rounding, 0 gives +0,
 *   overflow per `saturate`);
 * - float -> int<N>/uint<N> (N <= 52): `floatToInt` in `rounding` (rne, rna, rtz, rup, rdn), always
 *   saturating (±Inf too), NaN gives 0; `subnormals: flush` reads subnormal inputs as ±0.
 * Ports: `a` (the float code as UInt(from.width), or the integer as SInt(N)/UInt(N)), `y` likewise
 * for `to`. The module header states rounding, overflow, NaN and subnormal handling.
 */
import { defineModule, type BuiltDesign } from '../index.ts';
import { describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { floatConvert } from '../float/arith.ts';
import { describeFloatToInt, describeIntToFloat, floatToInt, intToFloat, MAX_FLOAT_TO_INT_WIDTH, type IntRounding } from '../float/int-convert.ts';
import { SInt, UInt } from '../builder/module.ts';
import { codeType } from '../types/bits.ts';
import { formatName } from '../../formats/number-format.ts';
import { fracBitsOf, isInteger, type FixedFormat } from '../../formats/fixed.ts';
import type { ConvertFormat } from './fp-params.ts';
import { rtlGenerator } from './define.ts';
import { boolParam, enumParam } from './params.ts';
import { convertFormatParam, subnormalsParam } from './fp-params.ts';
import { INT_ROUNDINGS } from '../float/int-convert.ts';

export interface FpConvertParams {
  readonly name: string;
  readonly from: ConvertFormat;
  readonly to: ConvertFormat;
  /** Float targets: overflow and ±Inf give ±max finite instead of Inf/NaN. Float -> integer always saturates. */
  readonly saturate: boolean;
  readonly subnormals: SubnormalMode;
  /** Float -> integer only; float targets require `rne`. Default `rne`. */
  readonly rounding?: IntRounding;
}

const nameOf = (f: ConvertFormat): string => (f.kind === 'float' ? f.name : formatName(f));

/** Throws a RangeError naming the first parameter combination fp_convert does not support. */
export function checkFpConvertParams(p: FpConvertParams): void {
  const bad = (msg: string): never => { throw new RangeError(`fp_convert '${p.name}': ${msg}`); };
  const rounding = p.rounding ?? 'rne';
  if (p.from.kind === 'fixed' && p.to.kind === 'fixed') bad(`from (${nameOf(p.from)}) and to (${nameOf(p.to)}) are both integer/fixed-point formats; one side must be a float format (integer narrowing is the saturate/wrap op or the requantizer)`);
  if (p.to.kind === 'fixed' && !isInteger(p.to)) bad(`to: ${nameOf(p.to)} is fixed point; a float converts only to an integer format int<N> or uint<N>`);
  if (p.to.kind === 'fixed' && p.to.width > MAX_FLOAT_TO_INT_WIDTH) bad(`to: ${nameOf(p.to)} is wider than ${MAX_FLOAT_TO_INT_WIDTH} bits`);
  if (p.to.kind === 'float' && rounding !== 'rne') bad(`rounding: ${rounding} applies only to float -> integer conversions; conversions to ${p.to.name} round to nearest even (rounding: rne)`);
}

export function buildFpConvert(p: FpConvertParams): BuiltDesign {
  checkFpConvertParams(p);
  const { from, to } = p;
  if (from.kind === 'fixed' && to.kind === 'float') return buildIntToFloat(p, from, to);
  if (from.kind === 'float' && to.kind === 'fixed') return buildFloatToInt(p, from, to);
  if (from.kind === 'float' && to.kind === 'float') return buildFloatToFloat(p, from, to);
  throw new RangeError('unreachable: checkFpConvertParams rejects integer -> integer');
}

function buildFloatToFloat(p: FpConvertParams, from: FloatFormat, to: FloatFormat): BuiltDesign {
  const o = { saturate: p.saturate, subnormals: p.subnormals };
  return defineModule(p.name, (m) => {
    m.doc(`float conversion ${from.name} -> ${to.name}: y = the exact value of a rounded once`);
    m.doc(describeRounding(to, o));
    m.latency(0);
    const a = floatInput(m, 'a', from);
    m.output('y', UInt(to.width)).drive(floatConvert(a, to, o).sig);
  });
}

function buildIntToFloat(p: FpConvertParams, from: FixedFormat, to: FloatFormat): BuiltDesign {
  const o = { saturate: p.saturate, subnormals: p.subnormals, fracBits: fracBitsOf(from) };
  return defineModule(p.name, (m) => {
    m.doc(`${isInteger(from) ? 'integer' : 'fixed-point'} to float conversion (a is ${from.signed ? "two's complement" : 'unsigned'})`);
    for (const line of describeIntToFloat(nameOf(from), to, o)) m.doc(line);
    m.latency(0);
    const a = m.input('a', codeType(from));
    m.output('y', UInt(to.width)).drive(intToFloat(a, to, o).sig);
  });
}

function buildFloatToInt(p: FpConvertParams, from: FloatFormat, to: FixedFormat): BuiltDesign {
  const o = { rounding: p.rounding ?? 'rne', subnormals: p.subnormals };
  const type = to.signed ? SInt(to.width) : UInt(to.width);
  return defineModule(p.name, (m) => {
    m.doc(`float to integer conversion (y is ${to.signed ? "two's complement" : 'unsigned'})`);
    for (const line of describeFloatToInt(from, type, o)) m.doc(line);
    m.latency(0);
    const a = floatInput(m, 'a', from);
    m.output('y', type).drive(floatToInt(a, type, o));
  });
}

/** `generator: fp_convert` in design files. */
export const fpConvertGenerator = rtlGenerator({
  name: 'fp_convert',
  doc: 'conversion between float formats (fp32 <-> fp16/bf16/fp8/fp6/fp4) and to/from integers (int<N>, uint<N>): float targets round-to-nearest-even with overflow per saturate; integer targets round per rounding and saturate',
  params: {
    from: convertFormatParam('source format: a float format, or an integer int<N>/uint<N> (or fixed<W,I>) converted to float', 'fp32'),
    to: convertFormatParam('target format: a float format, or an integer int<N>/uint<N> (N <= 52) a float is converted to', 'fp8_e4m3'),
    saturate: boolParam('float targets: overflow and Inf give ±max finite instead of Inf (NaN for fn formats); float -> integer always saturates', false),
    subnormals: subnormalsParam(),
    rounding: enumParam('float -> integer rounding: rne (nearest even), rna (nearest, ties away), rtz (toward zero), rup (toward +Inf), rdn (toward -Inf); float targets: rne only', INT_ROUNDINGS, 'rne'),
  },
  build: (name, p) => buildFpConvert({ name, ...p }),
});
