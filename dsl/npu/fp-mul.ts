/**
 * `fp_mul`: float multiplier y = round(a · b) (combinational, latency 0), operands of any two
 * formats (e.g. fp8_e4m3 x fp8_e5m2). The product of the significands is exact ((ma+1)(mb+1)
 * bits); one rounding to `out`, round-to-nearest-even, IEEE overflow (no saturation).
 * Ports: `a`, `b` (codes), `y` (UInt(out.width) code).
 */
import { defineModule, type BuiltDesign } from '../index.ts';
import { describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { floatMul } from '../float/arith.ts';
import { UInt } from '../builder/module.ts';

export interface FpMulParams {
  readonly name: string;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly out: FloatFormat;
  readonly subnormals: SubnormalMode;
}

export function buildFpMul(p: FpMulParams): BuiltDesign {
  const o = { saturate: false, subnormals: p.subnormals };
  return defineModule(p.name, (m) => {
    m.doc(`float multiplier ${p.a.name} x ${p.b.name} -> ${p.out.name}: y = a*b, exact significand product, rounded once`);
    m.doc(describeRounding(p.out, o));
    m.latency(0);
    const a = floatInput(m, 'a', p.a);
    const b = floatInput(m, 'b', p.b);
    m.output('y', UInt(p.out.width)).drive(floatMul(a, b, p.out, o).sig);
  });
}
