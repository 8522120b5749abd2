/**
 * `fp_dot`: y = sum_i a_i·b_i over `lanes` float products.
 * Ports: `a0..a{lanes-1}`, `b0..b{lanes-1}` (codes), `y` (accumulator code).
 * Order and rounding points (golden `dotTree` with products 'exact', sums = accumulator): the
 * products are exact; a pairwise tree adds adjacent pairs left to right at each level ((p0+p1),
 * (p2+p3), ...), an odd last element passes up unchanged; every adder rounds its exact sum once
 * to the accumulator format; a lone exact product at the root (lanes = 1) is rounded once.
 * Round-to-nearest-even, IEEE overflow, subnormals per `subnormals`.
 *
 * Latency = `pipeline_stages` (default 0: combinational, no clock). The path is d + 2 logic
 * segments in a row, d = ceil(log2 lanes): the product level (unpack + exact multiply), the d
 * adder levels (align, add, round to the accumulator, unpack) and the final rounding. Registers
 * sit at segment boundaries, placed by `interiorCuts(d + 2, stages)`: a cut after level k
 * registers every exact value of that level (sign, exponent, significand, Inf/NaN flags), so the
 * stages split the segments into runs as equal as whole segments allow (e.g. 8 lanes, 2 stages:
 * after adder levels 1 and 3; 1 stage: after adder level 2); stages beyond d + 1 are extra
 * registers on y. No reset (pure data path, as `dot`). Only the latency changes: the rounding
 * points and order are the same for every stage count.
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import { describeRounding, floatInput, type FloatFormat, type SubnormalMode } from '../float/format.ts';
import { alignedAdd, exactMul, roundToFloat } from '../float/arith.ts';
import { exactOf, unpackFloat, type ExactFloat } from '../float/unpack.ts';
import { interiorCuts } from './fp-params.ts';
import { checkStages, delay, registerExact } from './fp-mul.ts';
import { treeDepth } from './tree.ts';
import { rtlGenerator } from './define.ts';
import { intParam } from './params.ts';
import { checkNanFreeResult, floatFormatParam, pipelineStagesParam, subnormalsParam } from './fp-params.ts';

export interface FpDotParams {
  readonly name: string;
  readonly lanes: number;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly accumulator: FloatFormat;
  readonly subnormals: SubnormalMode;
  /** Register stages (= latency); absent = 0. */
  readonly pipeline_stages?: number;
}

export function buildFpDot(p: FpDotParams): BuiltDesign {
  if (!Number.isInteger(p.lanes) || p.lanes < 1) throw new RangeError(`fp_dot '${p.name}': lanes must be >= 1, got ${p.lanes}`);
  const o = { saturate: false, subnormals: p.subnormals };
  const flush = { flush: p.subnormals === 'flush' };
  const accF = p.accumulator;
  const stages = p.pipeline_stages ?? 0;
  checkStages('fp_dot', p.name, stages);
  checkNanFreeResult('accumulator', p.accumulator, { a: p.a, b: p.b });
  const depth = treeDepth(p.lanes);
  const { cuts, extra } = interiorCuts(depth + 2, stages);
  return defineModule(p.name, (m) => {
    m.doc(`float dot product y = sum of a_i*b_i over ${p.lanes} lanes; a ${p.a.name}, b ${p.b.name}, accumulator ${accF.name}`);
    m.doc('exact products; pairwise tree, adjacent pairs left to right per level, odd last element passes up; each adder rounds once to the accumulator (golden dotTree, sums = accumulator)');
    m.doc(describeRounding(accF, o));
    if (stages > 0) m.doc(describeDotPipeline(depth, cuts, extra));
    m.latency(stages);
    const stage = (lv: number, xs: ExactFloat[]): ExactFloat[] => (cuts.has(lv) ? xs.map((x, i) => registerExact(m, `pipe_l${lv}_${i}`, x)) : xs);
    const as = Array.from({ length: p.lanes }, (_, i) => floatInput(m, `a${i}`, p.a));
    const bs = Array.from({ length: p.lanes }, (_, i) => floatInput(m, `b${i}`, p.b));
    // Each level holds exact values; rounded sums are unpacked again (their exact value).
    let level: ExactFloat[] = stage(0, as.map((a, i) => exactMul(exactOf(unpackFloat(a, flush)), exactOf(unpackFloat(bs[i]!, flush)))));
    for (let lv = 1; level.length > 1; lv++) {
      const next: ExactFloat[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) {
        const s = roundToFloat(alignedAdd(level[i]!, level[i + 1]!, accF.manBits), accF, o);
        next.push(exactOf(unpackFloat(s, { flush: false })));
      }
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      level = stage(lv, next);
    }
    m.output('y', UInt(accF.width)).drive(delay(m, 'y_d', roundToFloat(level[0]!, accF, o).sig, extra));
  });
}

/** The header line stating where `fp_dot`'s registers sit. */
function describeDotPipeline(depth: number, cuts: ReadonlySet<number>, extra: number): string {
  const where = [...cuts].sort((x, y) => x - y).map((k) => (k === 0 ? 'after the products' : `after adder level ${k}`));
  return `pipeline: registers ${where.join(', ')} (of ${depth} adder level(s), then the final rounding)${extra > 0 ? `, plus ${extra} register(s) on y` : ''}; no reset`;
}

/** `generator: fp_dot` in design files. */
export const fpDotGenerator = rtlGenerator({
  name: 'fp_dot',
  doc: 'float dot product over lanes: exact products, pairwise tree with each sum rounded to the accumulator (golden dotTree order)',
  params: {
    lanes: intParam('number of parallel products', 1, 256, 4),
    a: floatFormatParam('operand a float format', 'fp8_e4m3'),
    b: floatFormatParam('operand b float format', 'fp8_e4m3'),
    accumulator: floatFormatParam('format of the tree sums and of the result', 'fp32'),
    subnormals: subnormalsParam(),
    pipeline_stages: pipelineStagesParam('register stages spread over the product level, the adder levels and the final rounding'),
  },
  build: (name, p) => buildFpDot({ name, ...p }),
});
