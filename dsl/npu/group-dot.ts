/**
 * `group_dot` and `group_gemm`: dot products of group-quantized int4 weights (a 4-bit code q per
 * weight, an fp16 scale s and a 4-bit zero point z per group of `group_size` weights along K)
 * with fp16, bf16 or int8 activations, accumulated in fp32. `group_gemm` is `cols` such columns
 * sharing the activation stream (a weight-streaming GEMV tile: one activation row against `cols`
 * weight rows); `group_dot` is one column.
 *
 * Interface (one beat per clock when `en`): `lanes` weights and `lanes` activations per beat, so a
 * group streams in group_size / lanes beats. Ports: `en`, `first` (this beat starts a new dot
 * product: the accumulator and the group position restart), `x0..x{lanes-1}` (fp16/bf16 codes or
 * int8), `x_scale` (int8 only: the activations' fp16 group scale, ggml q8_0 style), then per
 * column `w0..` (uint4 codes), `scale` (fp16 code), `zero` (uint4) — with `cols` > 1 these are
 * `w_c<j>_<i>`, `scale_c<j>`, `zero_c<j>`. `scale`, `zero` and `x_scale` are sampled on the
 * first beat of each group (group position 0) and held for the group. Output `acc_out`
 * (`acc_out_c<j>`): the fp32 accumulator, registered; latency 1. A dot product over K = n·group_size
 * is n·group_size/lanes beats, the first with `first` = 1; its result is `acc_out` the cycle after
 * its last beat. `first` without `en` clears the accumulator and the group position. `rst`
 * (synchronous, active high): accumulator +0, position 0, held scales 0.
 *
 * Datapaths (golden `sim/golden/accel/group-dot.ts` states them; `datapath` selects):
 * - `dequant_fp` (AWQ order): w = fp16((q − z)·s), one RNE rounding (fma(q − z, s, +0): an exact
 *   zero product is +0); int8 activations likewise x' = fp16(x·s_x); then per beat the exact
 *   products w·x, a pairwise tree (adjacent pairs left to right, odd last passes up) with every sum
 *   rounded to fp32, and acc = fp32(acc + tree) (golden `dotTree` with the accumulator as addend).
 * - `int_then_scale` (ggml order): the exact sum S = Σ(q − z)·x over the group in a fixed-point
 *   register (int8: 13-bit terms; fp16: the 41-bit grid of 2^-24; bf16: the 261-bit grid of
 *   2^-133), then at the group's last beat y = fp32(fp32(S)·s), for int8 y = fp32(y·s_x)
 *   (ggml `((float)sumi * d_x) * d_y`), acc = fp32(acc + y). The accumulator changes only at group
 *   ends.
 * All roundings to fp32/fp16 are round-to-nearest-even, overflow to ±Inf, subnormals kept; NaN
 * results are the canonical NaN. Specials: a NaN activation or scale, Inf·0, +Inf + -Inf give NaN.
 */
import { defineModule, SInt, UInt, type BuiltDesign, type ModuleBuilder, type Sig } from '../index.ts';
import { asFloat, floatInput, fp16, fp32, bf16, type FloatFormat, type FloatSig } from '../float/format.ts';
import { alignedAdd, exactMul, floatAdd, floatMul, roundToFloat } from '../float/arith.ts';
import { exactOf, unpackFloat, type ExactFloat } from '../float/unpack.ts';
import { nanCodeOf, overflowCodeOf, roundExact, roundFloat } from '../float/round.ts';
import { bitsFor, clampToUInt } from '../float/bits.ts';
import { enumParam, intParam } from './params.ts';
import { rtlGenerator } from './define.ts';

export const GROUP_DATAPATHS = ['dequant_fp', 'int_then_scale'] as const;
export const GROUP_ACTIVATIONS = ['fp16', 'bf16', 'int8'] as const;
export type GroupDatapath = (typeof GROUP_DATAPATHS)[number];
export type GroupActivation = (typeof GROUP_ACTIVATIONS)[number];

export interface GroupDotParams {
  readonly name: string;
  readonly datapath: GroupDatapath;
  readonly activation: GroupActivation;
  readonly group_size: number;
  readonly lanes: number;
  /** Columns sharing the activations (1 = `group_dot`). */
  readonly cols: number;
}

const O = { saturate: false, subnormals: 'ieee' } as const;

/** Port names of column `c` (plain names when there is one column). */
export function groupPortNames(cols: number, c: number, lanes: number): { w: string[]; scale: string; zero: string; acc: string } {
  const sfx = cols === 1 ? '' : `_c${c}`;
  return {
    w: Array.from({ length: lanes }, (_, i) => (cols === 1 ? `w${i}` : `w_c${c}_${i}`)),
    scale: `scale${sfx}`, zero: `zero${sfx}`, acc: `acc_out${sfx}`,
  };
}

/** Throws a RangeError naming the bad parameter. */
export function checkGroupParams(gen: string, p: GroupDotParams): void {
  const bad = (msg: string): never => { throw new RangeError(`${gen} '${p.name}': ${msg}`); };
  if (!Number.isInteger(p.group_size) || p.group_size < 1 || (p.group_size & (p.group_size - 1)) !== 0) bad(`group_size must be a power of two, got ${p.group_size}`);
  if (!Number.isInteger(p.lanes) || p.lanes < 1 || p.group_size % p.lanes !== 0) bad(`lanes must divide group_size ${p.group_size}, got ${p.lanes}`);
  if (!Number.isInteger(p.cols) || p.cols < 1) bad(`cols must be >= 1, got ${p.cols}`);
}

export function buildGroupDot(p: GroupDotParams, gen = 'group_dot'): BuiltDesign {
  checkGroupParams(gen, p);
  const L = p.lanes;
  const beats = p.group_size / L;
  return defineModule(p.name, (m) => {
    m.doc(`${gen}: ${p.cols > 1 ? `${p.cols} columns of ` : ''}int4 weights (fp16 scale, uint4 zero point per ${p.group_size}) . ${p.activation} activations -> fp32; ${L} lanes per beat, ${beats} beat(s) per group`);
    m.doc(p.datapath === 'dequant_fp'
      ? 'dequant_fp (AWQ order): w = fp16((q - z)*s) one rounding (fma with +0)' + (p.activation === 'int8' ? ', x = fp16(x*x_scale) likewise' : '') + '; per beat exact products, pairwise tree with fp32-rounded sums, acc = fp32(acc + tree)'
      : 'int_then_scale (ggml order): exact S = sum (q - z)*x per group; at the group end y = fp32(fp32(S)*scale)' + (p.activation === 'int8' ? ', y = fp32(y*x_scale)' : '') + ', acc = fp32(acc + y)');
    m.doc('rounding: round-to-nearest-even, overflow to +-Inf, subnormals kept, NaN canonical; scale/zero/x_scale sampled on the first beat of a group; latency 1; rst: acc +0');
    m.latency(1);
    const en = m.input('en', UInt(1));
    const first = m.input('first', UInt(1));
    const xs = Array.from({ length: L }, (_, i) => m.input(`x${i}`, p.activation === 'int8' ? SInt(8) : UInt(16)));
    const xScaleIn = p.activation === 'int8' ? m.input('x_scale', UInt(16)) : undefined;
    const pos = groupPosition(m, en, first, beats);
    const held = (name: string, x: Sig): Sig => {
      const r = m.reg(`${name}_q`, x.type, { reset: 0n });
      r.next(pos.start.and(en).choose(x, r));
      return pos.start.choose(x, r);
    };
    const xScale = xScaleIn ? held('x_scale', xScaleIn) : undefined;
    const ports = Array.from({ length: p.cols }, (_, c) => groupPortNames(p.cols, c, L));
    const cols = ports.map((names) => ({
      names,
      w: names.w.map((n) => m.input(n, UInt(4))),
      scale: m.input(names.scale, UInt(16)),
      zero: m.input(names.zero, UInt(4)),
    }));
    if (p.datapath === 'dequant_fp') {
      const xf = dequantActivations(xs, p.activation, xScale);
      for (const c of cols) {
        const acc = accumulatorReg(m, `acc${p.cols === 1 ? '' : `_c${ports.indexOf(c.names)}`}`);
        const base = first.choose(m.constant(0n, UInt(32)), acc);
        const s = asFloat(held(`${c.names.scale}`, c.scale), fp16);
        const z = held(c.names.zero, c.zero);
        const prods = c.w.map((w, i) => exactMul(exactOf(unpackFloat(dequantWeight(w, z, s))), xf[i]!));
        const root = fp32Tree(prods);
        const sum = alignedAdd(root, exactOf(unpackFloat(asFloat(base, fp32))), fp32.manBits);
        acc.next(en.choose(roundToFloat(sum, fp32, O).sig, base));
        m.output(c.names.acc, UInt(32)).drive(acc);
      }
    } else {
      for (const [ci, c] of cols.entries()) {
        const tag = p.cols === 1 ? '' : `_c${ci}`;
        const acc = accumulatorReg(m, `acc${tag}`);
        const base = first.choose(m.constant(0n, UInt(32)), acc);
        const s = asFloat(held(c.names.scale, c.scale), fp16);
        const z = held(c.names.zero, c.zero);
        const y = intGroupColumn(m, tag, { en, first, start: pos.start, end: pos.end }, c.w, z, xs, p.activation, p.group_size);
        let scaled = floatMul(y, s, fp32, O);
        if (xScale) scaled = floatMul(scaled, asFloat(xScale, fp16), fp32, O);
        const next = floatAdd(asFloat(base, fp32), scaled, fp32, O).sig;
        acc.next(en.and(pos.end).choose(next, base));
        m.output(c.names.acc, UInt(32)).drive(acc);
      }
    }
  });
}

/** The fp32 accumulator register (reset +0). */
function accumulatorReg(m: ModuleBuilder, name: string) {
  return m.reg(name, UInt(32), { reset: 0n });
}

/**
 * The group position of the current beat: `start` (position 0) and `end` (position beats - 1).
 * `first` restarts at 0; the position advances on every `en` beat, wrapping after a group.
 */
function groupPosition(m: ModuleBuilder, en: Sig, first: Sig, beats: number): { start: Sig; end: Sig } {
  const one = m.constant(1n, UInt(1));
  if (beats === 1) return { start: one, end: one };
  const w = bitsFor(beats - 1);
  const pos = m.reg('group_pos', UInt(w), { reset: 0n });
  const base = first.choose(m.constant(0n, UInt(w)), pos);
  const end = base.eq(beats - 1);
  const step = end.choose(m.constant(0n, UInt(w)), base.add(1).wrap(w));
  pos.next(en.choose(step, base));
  return { start: base.eq(0), end };
}

/** Exact value of a small signed integer d (sign, |d|, exponent 0, finite). */
function exactInt(d: Sig): ExactFloat {
  const neg = d.lt(0);
  const mag = neg.choose(d.neg(), d).slice(d.width - 1, 0);
  const z = d.constantOf(0n, UInt(1));
  return { sign: neg, exp: d.constantOf(0n, SInt(2)), sig: mag, inf: z, nan: z };
}

/** fp16(d·s) rounded once, an exactly-zero product giving +0 (fma(d, s, +0)). */
function roundedProductFp16(d: Sig, s: FloatSig): FloatSig {
  const p = exactMul(exactInt(d), exactOf(unpackFloat(s)));
  const exactZero = p.sig.orR().not().and(p.nan.not()).and(p.inf.not());
  return asFloat(exactZero.choose(d.constantOf(0n, UInt(16)), roundExact(p, fp16, O)), fp16);
}

/** AWQ dequantization of one weight code: fp16((q − z)·s). */
function dequantWeight(q: Sig, z: Sig, s: FloatSig): FloatSig {
  return roundedProductFp16(q.sub(z), s);
}

/** The activations as exact values: fp16/bf16 codes as they are, int8 dequantized to fp16(x·x_scale). */
function dequantActivations(xs: Sig[], activation: GroupActivation, xScale: Sig | undefined): ExactFloat[] {
  if (activation === 'int8') return xs.map((x) => exactOf(unpackFloat(roundedProductFp16(x, asFloat(xScale!, fp16)))));
  const f = activation === 'fp16' ? fp16 : bf16;
  return xs.map((x) => exactOf(unpackFloat(asFloat(x, f))));
}

/** Pairwise tree (adjacent pairs, odd last passes up), each sum rounded to fp32; a lone leaf stays exact. */
function fp32Tree(leaves: ExactFloat[]): ExactFloat {
  let level = leaves;
  while (level.length > 1) {
    const next: ExactFloat[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(exactOf(unpackFloat(roundToFloat(alignedAdd(level[i]!, level[i + 1]!, fp32.manBits), fp32, O))));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** One lane's exact term (q − z)·x on the fixed-point grid, with its special flags. */
interface IntTerm { readonly value: Sig; readonly nan: Sig; readonly pinf: Sig; readonly ninf: Sig }

/** The grid of a float activation: LSB exponent and the largest shift above it. */
function gridOf(f: FloatFormat): { lsb: number; range: number } {
  return { lsb: f.emin - f.manBits, range: f.emax - f.emin };
}

function intTerm(d: Sig, x: Sig, activation: GroupActivation): IntTerm {
  const zero1 = x.constantOf(0n, UInt(1));
  if (activation === 'int8') return { value: d.mul(x), nan: zero1, pinf: zero1, ninf: zero1 };
  const f = activation === 'fp16' ? fp16 : bf16;
  const u = unpackFloat(asFloat(x, f));
  const { lsb, range } = gridOf(f);
  const k = clampToUInt(u.exp.sub(lsb), range);
  const mag = u.sig.ext(f.manBits + 1 + range).shlWrap(k);
  const special = u.inf.or(u.nan);
  const kept = special.choose(x.constantOf(0n, mag.type), mag).toSigned();
  const prod = d.mul(kept);
  const value = u.sign.choose(prod.neg(), prod);
  const dZero = d.eq(0);
  const infSign = u.sign.xor(d.lt(0));
  const inf = u.inf.and(dZero.not());
  return { value, nan: u.nan.or(u.inf.and(dZero)), pinf: inf.and(infSign.not()), ninf: inf.and(infSign) };
}

/**
 * The exact group sum of one `int_then_scale` column, registered across the group's beats, and
 * fp32(S) at the current beat (meaningful at the group's last beat): NaN/Inf from the flags.
 */
function intGroupColumn(m: ModuleBuilder, tag: string, ctl: { en: Sig; first: Sig; start: Sig; end: Sig }, ws: Sig[], z: Sig, xs: Sig[], activation: GroupActivation, groupSize: number): FloatSig {
  const terms = ws.map((w, i) => intTerm(w.sub(z), xs[i]!, activation));
  const termW = terms[0]!.value.width;
  const accW = termW + bitsFor(groupSize);
  let level = terms.map((t) => t.value);
  while (level.length > 1) {
    const next: Sig[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(level[i]!.add(level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  const sumReg = m.reg(`group_sum${tag}`, SInt(accW), { reset: 0n });
  const flag = (name: string, pick: (t: IntTerm) => Sig): { now: Sig; reg: Sig } => {
    const r = m.reg(`group_${name}${tag}`, UInt(1), { reset: 0n });
    const base = ctl.start.choose(m.constant(0n, UInt(1)), r);
    const now = terms.map(pick).reduce((a, b) => a.or(b), base);
    r.next(ctl.en.choose(ctl.end.choose(m.constant(0n, UInt(1)), now), ctl.first.choose(m.constant(0n, UInt(1)), r)));
    return { now, reg: r };
  };
  const base = ctl.start.choose(m.constant(0n, SInt(accW)), sumReg);
  const sum = base.add(level[0]!).wrap(accW);
  sumReg.next(ctl.en.choose(ctl.end.choose(m.constant(0n, SInt(accW)), sum), ctl.first.choose(m.constant(0n, SInt(accW)), sumReg)));
  const nan = flag('nan', (t) => t.nan).now;
  const pinf = flag('pinf', (t) => t.pinf).now;
  const ninf = flag('ninf', (t) => t.ninf).now;
  const neg = sum.lt(0);
  const mag = neg.choose(sum.neg(), sum).slice(accW - 1, 0);
  const lsb = activation === 'int8' ? 0 : gridOf(activation === 'fp16' ? fp16 : bf16).lsb;
  const exp = m.constant(BigInt(lsb), SInt(bitsFor(Math.abs(lsb)) + 1));
  const rounded = roundFloat(neg, exp, mag, undefined, fp32, O);
  const code = nan.or(pinf.and(ninf)).choose(nanCodeOf(rounded, fp32), pinf.or(ninf).choose(overflowCodeOf(ninf, fp32, false), rounded));
  return asFloat(code, fp32);
}

const groupDotParams = {
  datapath: enumParam('dequant_fp (AWQ order: w = fp16((q - z)*s), fp MAC with fp32 accumulation) or int_then_scale (ggml order: exact integer sum per group, then fp32 scale multiply and fp32 accumulation)', GROUP_DATAPATHS, 'dequant_fp'),
  activation: enumParam('activation format: fp16, bf16, or int8 with an fp16 scale per group (x_scale port)', GROUP_ACTIVATIONS, 'fp16'),
  group_size: intParam('weights per group sharing one fp16 scale and uint4 zero point: 32, 64 or 128 (any power of two >= lanes is accepted)', 1, 1024, 32),
  lanes: intParam('products per beat (a group streams in group_size / lanes beats); must divide group_size', 1, 128, 8),
};

/** `generator: group_dot` in design files: one column. */
export const groupDotGenerator = rtlGenerator({
  name: 'group_dot',
  doc: 'group-quantized int4 weight (fp16 scale, uint4 zero point per group) . fp16/bf16/int8 activation dot product with fp32 accumulation, streamed lanes per beat; dequant_fp (AWQ) or int_then_scale (ggml) datapath; latency 1',
  params: groupDotParams,
  build: (name, p) => buildGroupDot({ name, ...p, cols: 1 }),
});

/** `generator: group_gemm` in design files: `cols` columns sharing the activation stream. */
export const groupGemmGenerator = rtlGenerator({
  name: 'group_gemm',
  doc: 'weight-streaming GEMV/GEMM tile: cols group_dot columns sharing one activation stream (one activation row against cols int4 weight rows per pass); runs whole weight-only layers (sim/layers/group-gemm.ts)',
  params: { ...groupDotParams, cols: intParam('output columns computed in parallel', 1, 256, 4) },
  build: (name, p) => buildGroupDot({ name, ...p }, 'group_gemm'),
});
