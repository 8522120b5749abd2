/**
 * `fp_dot`: y = sum_i a_i·b_i over `lanes` float products (combinational, latency 0).
 * Ports: `a0..a{lanes-1}`, `b0..b{lanes-1}` (codes), `y` (accumulator code).
 * Order and rounding points (golden `dotTree` with products 'exact', sums = accumulator): the
 * products are exact; a pairwise tree adds adjacent pairs left to right at each level ((p0+p1),
 * (p2+p3), ...), an odd last element passes up unchanged; every adder rounds its exact sum once
 * to the accumulator format; a lone exact product at the root (lanes = 1) is rounded once.
 * Round-to-nearest-even, IEEE overflow, subnormals per `subnormals`.
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import { describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { alignedAdd, exactMul, roundToFloat } from '../float/arith.ts';
import { exactOf, unpackFloat, type ExactFloat } from '../float/unpack.ts';

export interface FpDotParams {
  readonly name: string;
  readonly lanes: number;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly subnormals: SubnormalMode;
}

export function buildFpDot(p: FpDotParams): BuiltDesign {
  if (!Number.isInteger(p.lanes) || p.lanes < 1) throw new RangeError(`fp_dot '${p.name}': lanes must be >= 1, got ${p.lanes}`);
  const o = { saturate: false, subnormals: p.subnormals };
  const flush = { flush: p.subnormals === 'flush' };
  const accF = p.accumulator;
  return defineModule(p.name, (m) => {
    m.doc(`float dot product y = sum of a_i*b_i over ${p.lanes} lanes; a ${p.a.name}, b ${p.b.name}, accumulator ${accF.name}`);
    m.doc('exact products; pairwise tree, adjacent pairs left to right per level, odd last element passes up; each adder rounds once to the accumulator (golden dotTree, sums = accumulator)');
    m.doc(describeRounding(accF, o));
    m.latency(0);
    const as = Array.from({ length: p.lanes }, (_, i) => floatInput(m, `a${i}`, p.a));
    const bs = Array.from({ length: p.lanes }, (_, i) => floatInput(m, `b${i}`, p.b));
    // Each level holds exact values; rounded sums are unpacked again (their exact value).
    let level: ExactFloat[] = as.map((a, i) => exactMul(exactOf(unpackFloat(a, flush)), exactOf(unpackFloat(bs[i]!, flush))));
    while (level.length > 1) {
      const next: ExactFloat[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) {
        const s = roundToFloat(alignedAdd(level[i]!, level[i + 1]!, accF.manBits), accF, o);
        next.push(exactOf(unpackFloat(s, { flush: false })));
      }
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      level = next;
    }
    m.output('y', UInt(accF.width)).drive(roundToFloat(level[0]!, accF, o).sig);
  });
}
