/**
 * `fp_convert`: float format conversion y = round(a) (combinational, latency 0).
 * Ports: `a` (UInt(from.width) code), `y` (UInt(to.width) code). One rounding of the exact value
 * (round-to-nearest-even); overflow per `saturate`; subnormals per `subnormals`.
 */
import { defineModule, type BuiltDesign } from '../index.ts';
import { describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { floatConvert } from '../float/arith.ts';
import { UInt } from '../builder/module.ts';

export interface FpConvertParams {
  readonly name: string;
  readonly from: FloatFormat;
  readonly to: FloatFormat;
  readonly saturate: boolean;
  readonly subnormals: SubnormalMode;
}

export function buildFpConvert(p: FpConvertParams): BuiltDesign {
  const o = { saturate: p.saturate, subnormals: p.subnormals };
  return defineModule(p.name, (m) => {
    m.doc(`float conversion ${p.from.name} -> ${p.to.name}: y = the exact value of a rounded once`);
    m.doc(describeRounding(p.to, o));
    m.latency(0);
    const a = floatInput(m, 'a', p.from);
    m.output('y', UInt(p.to.width)).drive(floatConvert(a, p.to, o).sig);
  });
}
