/**
 * `mx_dot`: dot product of two OCP MX v1.0 blocks (32 elements sharing an E8M0 scale each), fp32
 * result.
 * Ports: `a_scale`, `b_scale` (E8M0 codes, UInt(8); 0xff = NaN), `a0..a31`, `b0..b31` (element
 * codes), `y` (fp32 code).
 * Internal precision: every element product is exact (significand product shifted to a common
 * fixed-point grid: E4M3 36 bits, E5M2 64 bits, FP6/FP4 fewer; MXINT8 16 bits), the 32 products
 * are summed exactly in two's complement (5 more bits) and the sum, scaled by
 * 2^(a_scale + b_scale - 254), is rounded ONCE to fp32: round-to-nearest-even, overflow to ±Inf,
 * fp32 subnormals kept. This is golden `mxDotFp32` exactly.
 * Specials: a NaN scale or element, Inf·0 or +Inf + -Inf give the canonical NaN 0x7fc00000; an
 * Inf product otherwise gives ±Inf. An exact zero sum is +0 unless every product is -0.
 *
 * Latency = `pipeline_stages` (default 0: combinational, no clock). The value path is 7 logic
 * segments in a row: the product level (unpack, multiply, shift onto the grid, negate), the 5
 * levels of the exact adder tree and the final rounding (magnitude, `roundFloat`, specials).
 * Registers sit at segment boundaries, placed by `interiorCuts(7, stages)`: a cut after level k
 * registers that level's partial sums, so the stages split the segments into runs as equal as
 * whole segments allow (1 stage: after adder level 3; 2: after levels 2 and 4; 6: after every
 * level). The side signals (the two scales, and the any-NaN / any-+Inf / any--Inf / all--0
 * reductions over the lanes, computed from the inputs) go through as many registers, placed right
 * after them. Stages beyond 6 are extra registers on y. No reset (pure data path, as `dot`).
 */
import { defineModule, UInt, type BuiltDesign } from '../index.ts';
import type { Sig } from '../builder/signal.ts';
import { fp32, floatInput, type FloatFormat } from '../float/format.ts';
import { unpackFloat } from '../float/unpack.ts';
import { roundFloat, nanCodeOf, overflowCodeOf } from '../float/round.ts';
import { clampToUInt } from '../float/bits.ts';
import { FLOAT_FORMATS } from '../float/format.ts';
import { interiorCuts } from './fp-params.ts';
import { checkStages, delay, pipeReg } from './fp-mul.ts';
import { treeDepth } from './tree.ts';
import { rtlGenerator } from './define.ts';
import { enumParam } from './params.ts';
import { pipelineStagesParam } from './fp-params.ts';

export const MX_ELEMENT_FORMATS = {
  mxfp8_e4m3: FLOAT_FORMATS.fp8_e4m3,
  mxfp8_e5m2: FLOAT_FORMATS.fp8_e5m2,
  mxfp6_e3m2: FLOAT_FORMATS.fp6_e3m2,
  mxfp6_e2m3: FLOAT_FORMATS.fp6_e2m3,
  mxfp4_e2m1: FLOAT_FORMATS.fp4_e2m1,
  mxint8: 'mxint8',
} as const satisfies Record<string, FloatFormat | 'mxint8'>;

export type MxFormatName = keyof typeof MX_ELEMENT_FORMATS;

export const MX_FORMAT_NAMES: readonly MxFormatName[] = ['mxfp8_e4m3', 'mxfp8_e5m2', 'mxfp6_e3m2', 'mxfp6_e2m3', 'mxfp4_e2m1', 'mxint8'];

export const MX_BLOCK = 32;

export interface MxDotParams {
  readonly name: string;
  readonly format: MxFormatName;
  /** Register stages (= latency); absent = 0. */
  readonly pipeline_stages?: number;
}

/** One lane's exact product on the fixed-point grid: signed value (SInt) and flags. */
interface LaneProduct {
  readonly value: Sig;
  readonly sign: Sig;
  readonly zero: Sig;
  readonly nan: Sig;
  readonly inf: Sig;
}

export function buildMxDot(p: MxDotParams): BuiltDesign {
  const el = MX_ELEMENT_FORMATS[p.format];
  const o = { saturate: false, subnormals: 'ieee' } as const;
  const stages = p.pipeline_stages ?? 0;
  checkStages('mx_dot', p.name, stages);
  const depth = treeDepth(MX_BLOCK);
  const { cuts, extra } = interiorCuts(depth + 2, stages);
  return defineModule(p.name, (m) => {
    m.doc(`MX dot product of two ${MX_BLOCK}-element ${p.format} blocks with E8M0 scales -> fp32`);
    m.doc('exact element products, exact fixed-point sum of the 32 products, scaled by 2^(a_scale + b_scale - 254), ONE rounding to fp32 (golden mxDotFp32)');
    m.doc('rounding to fp32: round-to-nearest-even; overflow to ±Inf; fp32 subnormals kept; NaN (scale 0xff, NaN element, Inf*0, Inf-Inf) gives 0x7fc00000');
    if (stages > 0) m.doc(describeMxPipeline(depth, cuts, extra));
    m.latency(stages);
    const stage = (lv: number, xs: Sig[]): Sig[] => (cuts.has(lv) ? xs.map((x, i) => pipeReg(m, `pipe_l${lv}_${i}`, x)) : xs);
    // Side signals wait as many cycles as the cuts delay the sum.
    const side = (name: string, x: Sig): Sig => delay(m, `${name}_d`, x, cuts.size);
    const aScale = m.input('a_scale', UInt(8));
    const bScale = m.input('b_scale', UInt(8));
    const as = Array.from({ length: MX_BLOCK }, (_, i) => m.input(`a${i}`, UInt(el === 'mxint8' ? 8 : el.width)));
    const bs = Array.from({ length: MX_BLOCK }, (_, i) => m.input(`b${i}`, UInt(el === 'mxint8' ? 8 : el.width)));
    const lsbExp = el === 'mxint8' ? -12 : 2 * (el.emin - el.manBits);
    const lanes: LaneProduct[] = as.map((a, i) => (el === 'mxint8' ? intLane(a, bs[i]!) : floatLane(a, bs[i]!, el)));
    // Exact two's-complement sum (pairwise; widths grow one bit per level).
    let level = stage(0, lanes.map((l) => l.value));
    for (let lv = 1; level.length > 1; lv++) {
      const next: Sig[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(level[i]!.add(level[i + 1]!));
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      level = stage(lv, next);
    }
    const sum = level[0]!;
    const neg = sum.lt(0);
    const mag = neg.choose(sum.neg(), sum).slice(sum.width - 1, 0);
    const isZero = mag.orR().not();
    const all = (f: (l: LaneProduct) => Sig): Sig => lanes.map(f).reduce((x, y) => x.and(y));
    const any = (f: (l: LaneProduct) => Sig): Sig => lanes.map(f).reduce((x, y) => x.or(y));
    const negZero = side('neg_zero', all((l) => l.zero.and(l.sign)));
    const sign = isZero.choose(negZero, neg);
    const [sa, sb] = [side('a_scale', aScale), side('b_scale', bScale)];
    const exp = sa.add(sb).sub(254 - lsbExp);
    const rounded = roundFloat(sign, exp, mag, undefined, fp32, o);
    const posInf = side('pos_inf', any((l) => l.inf.and(l.sign.not())));
    const negInf = side('neg_inf', any((l) => l.inf.and(l.sign)));
    const nan = sa.eq(0xff).or(sb.eq(0xff)).or(side('any_nan', any((l) => l.nan))).or(posInf.and(negInf));
    const inf = posInf.or(negInf);
    const y = nan.choose(nanCodeOf(sa, fp32), inf.choose(overflowCodeOf(negInf, fp32, false), rounded));
    m.output('y', UInt(32)).drive(delay(m, 'y_d', y, extra));
  });
}

/** The header line stating where `mx_dot`'s registers sit. */
function describeMxPipeline(depth: number, cuts: ReadonlySet<number>, extra: number): string {
  const where = [...cuts].sort((x, y) => x - y).map((k) => (k === 0 ? 'after the products' : `after adder level ${k}`));
  return `pipeline: registers ${where.join(', ')} (of ${depth} adder levels, then the final rounding); scales and NaN/Inf/-0 flags delayed alike${extra > 0 ? `; plus ${extra} register(s) on y` : ''}; no reset`;
}

/** A float element pair: significand product shifted onto the grid of 2^(2(emin - m)). */
function floatLane(a: Sig, b: Sig, el: FloatFormat): LaneProduct {
  const ua = unpackFloat({ sig: a, format: el });
  const ub = unpackFloat({ sig: b, format: el });
  const range = el.emax - el.emin; // largest shift of one element above emin - m
  const P = 2 * (range + el.manBits + 1);
  const ka = clampToUInt(ua.exp.sub(el.emin - el.manBits), range);
  const kb = clampToUInt(ub.exp.sub(el.emin - el.manBits), range);
  const mag = ua.sig.mul(ub.sig).ext(P).shlWrap(ka.add(kb));
  const sign = ua.sign.xor(ub.sign);
  const zero = ua.zero.or(ub.zero);
  // Inf and NaN lanes contribute 0 to the sum (their flags decide the result).
  const special = ua.inf.or(ua.nan).or(ub.inf).or(ub.nan);
  const kept = special.choose(a.constantOf(0n, UInt(P)), mag);
  return {
    value: sign.choose(kept.neg(), kept.toSigned()),
    sign,
    zero,
    nan: ua.nan.or(ub.nan).or(ua.inf.and(ub.zero)).or(ub.inf.and(ua.zero)),
    inf: ua.inf.or(ub.inf),
  };
}

/** An MXINT8 pair: int8 x int8, exact on the grid of 2^-12. */
function intLane(a: Sig, b: Sig): LaneProduct {
  const prod = a.asSigned().mul(b.asSigned());
  const zero = a.eq(0).or(b.eq(0));
  const z = a.constantOf(0n, UInt(1));
  // The product's sign (0 x negative is -0, as the golden exact product).
  return { value: prod, sign: a.bit(7).xor(b.bit(7)), zero, nan: z, inf: z };
}

/** `generator: mx_dot` in design files. */
export const mxDotGenerator = rtlGenerator({
  name: 'mx_dot',
  doc: 'dot product of two 32-element MX blocks (E8M0 scales) -> fp32: exact products, exact fixed-point sum, one rounding (golden mxDotFp32)',
  params: {
    format: enumParam('MX element format', MX_FORMAT_NAMES, 'mxfp8_e4m3'),
    pipeline_stages: pipelineStagesParam('register stages spread over the product level, the adder levels and the final rounding'),
  },
  build: (name, p) => buildMxDot({ name, ...p }),
});
