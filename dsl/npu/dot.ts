/**
 * `dot`: a `lanes`-wide dot product y = sum_i a_i * b_i of integer or fixed-point operands
 * (any mix, e.g. uint8 x int8), with a pipelined adder tree.
 *
 * Ports: `a0..a{lanes-1}`, `b0..b{lanes-1}` (operand codes, one net per lane), output `y`
 * (accumulator format). Products are exact (wa + wb bits) and aligned to the accumulator's
 * binary point, which must have at least fa + fb fraction bits (no implicit rounding).
 * Accumulator: `auto` = the exact width for `lanes` products (never overflows); an explicit
 * format wraps (y = exact sum modulo 2^W, read in the accumulator's signedness). Every tree
 * node is narrowed with an explicit `wrap` to min(W, exact width of its leaves), lossless
 * wherever the exact width fits.
 *
 * Latency = `pipeline_stages`: 0 is purely combinational (no clock); otherwise registers are
 * placed over the multiplier level and the ceil(log2 lanes) adder levels (see `placeCuts`), the
 * last one always on the output; stages beyond levels + 1 are extra output registers. The
 * pipeline registers have no reset: the output is valid `pipeline_stages` cycles after the
 * operands, every cycle (no handshake).
 */
import { defineModule, type BuiltDesign } from '../index.ts';
import { codeType } from '../types/bits.ts';
import { fixedFormat, fracBitsOf, type FixedFormat } from '../../formats/fixed.ts';
import { formatName } from '../../formats/number-format.ts';
import { fixedInput, fixedMul } from '../quant/fixed.ts';
import { autoAccumulator, productSumRange, widthFor } from './acc-width.ts';
import { adderTree, placeCuts, treeDepth } from './tree.ts';
import { rtlGenerator } from './define.ts';
import { formatOrAutoParam, formatParam, intParam } from './params.ts';
import { intFormat } from '../../formats/fixed.ts';

export interface DotParams {
  readonly name: string;
  readonly lanes: number;
  readonly a: FixedFormat;
  readonly b: FixedFormat;
  /** A format (overflow wraps), or 'auto' for the exact width of `lanes` products. */
  readonly accumulator: FixedFormat | 'auto';
  readonly pipeline_stages: number;
}

/** The accumulator format a dot product with these params uses. */
export function dotAccumulator(p: Pick<DotParams, 'a' | 'b' | 'accumulator' | 'lanes'>): FixedFormat {
  return p.accumulator === 'auto' ? autoAccumulator(p.a, p.b, p.lanes) : p.accumulator;
}

/** Latency in cycles (the generator states the same number with `m.latency`). */
export function dotLatency(p: Pick<DotParams, 'pipeline_stages'>): number {
  return p.pipeline_stages;
}

export function buildDot(p: DotParams): BuiltDesign {
  if (!Number.isInteger(p.lanes) || p.lanes < 1) throw new RangeError(`dot '${p.name}': lanes must be an integer >= 1, got ${p.lanes}`);
  if (!Number.isInteger(p.pipeline_stages) || p.pipeline_stages < 0) throw new RangeError(`dot '${p.name}': pipeline_stages must be an integer >= 0, got ${p.pipeline_stages}`);
  const accF = dotAccumulator(p);
  const fprod = fracBitsOf(p.a) + fracBitsOf(p.b);
  const align = fracBitsOf(accF) - fprod;
  if (align < 0) throw new RangeError(`dot '${p.name}': accumulator ${formatName(accF)} has ${fracBitsOf(accF)} fraction bits; the products need ${fprod}`);
  if ((p.a.signed || p.b.signed) && !accF.signed) throw new RangeError(`dot '${p.name}': signed products need a signed accumulator, got ${formatName(accF)}`);
  const [plo, phi] = productSumRange(p.a, p.b, 1);
  const scale = 1n << BigInt(align);
  // Exact width of a sum of n aligned products in the accumulator's signedness, capped at W.
  const nodeWidth = (n: number): number => Math.min(accF.width, widthFor(BigInt(n) * plo * scale, BigInt(n) * phi * scale, accF.signed));
  const depth = treeDepth(p.lanes);
  const { cuts, extra } = placeCuts(depth, p.pipeline_stages);
  return defineModule(p.name, (m) => {
    m.doc(`dot product: y = sum of a_i*b_i over ${p.lanes} lane(s); a ${formatName(p.a)}, b ${formatName(p.b)}, y ${formatName(accF)}${p.accumulator === 'auto' ? ' (auto: exact, never overflows)' : ` (overflow: wrap modulo 2^${accF.width})`}`);
    m.doc(`pipeline: ${p.pipeline_stages === 0 ? 'combinational' : `registers after level(s) ${[...cuts].sort((x, y) => x - y).join(', ')} of ${depth} adder level(s) (0 = products)${extra > 0 ? ` plus ${extra} output register(s)` : ''}; no reset`}`);
    m.latency(dotLatency(p));
    const as = Array.from({ length: p.lanes }, (_, i) => fixedInput(m, `a${i}`, p.a));
    const bs = Array.from({ length: p.lanes }, (_, i) => fixedInput(m, `b${i}`, p.b));
    const terms = as.map((a, i) => {
      let prod = fixedMul(a, bs[i]!).sig;
      if (accF.signed && !prod.signed) prod = prod.toSigned();
      return { sig: align > 0 ? prod.shl(align) : prod, leaves: 1 };
    });
    let sum = adderTree(m, terms, { widthFor: nodeWidth, cutsAfter: cuts, prefix: 'pipe' }).sig;
    for (let i = 0; i < extra; i++) {
      const r = m.reg(`out_d${i}`, sum.type);
      r.next(sum);
      sum = r;
    }
    const accT = codeType(accF);
    m.output('y', accT).drive(sum.width > accT.width ? sum.wrap(accT.width) : sum);
  });
}

/** The int8 x int8, 16-lane dot product of the examples (exact int20 result, 2 stages). */
export function buildDotI8x16(): BuiltDesign {
  const i8 = fixedFormat(8, 8, true);
  return buildDot({ name: 'dot_i8x16', lanes: 16, a: i8, b: i8, accumulator: 'auto', pipeline_stages: 2 });
}

/** `generator: dot` in design files. */
export const dotGenerator = rtlGenerator({
  name: 'dot',
  doc: 'dot product y = sum of a_i*b_i over lanes, pipelined adder tree (latency = pipeline_stages)',
  params: {
    lanes: intParam('number of parallel products', 1, 1024, 16),
    a: formatParam('operand a format (int, uint or fixed)', intFormat(8, true)),
    b: formatParam('operand b format (int, uint or fixed)', intFormat(8, true)),
    accumulator: formatOrAutoParam('result format (overflow wraps), or auto for the exact width of lanes products', 'auto'),
    pipeline_stages: intParam('register stages over the multiplier and adder-tree levels (= latency; 0 = combinational)', 0, 64, 1),
  },
  build: (name, p) => buildDot({ name, ...p }),
});
