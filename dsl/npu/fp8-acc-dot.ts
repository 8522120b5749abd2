/**
 * `fp8_acc_dot`: an FP8 (E4M3/E5M2) dot product with a tensor-core-like two-level accumulator:
 * a partial sum that keeps only `align_bits` bits of the aligned products, promoted to an fp32
 * accumulator every `promote_every` products (golden `sim/golden/accel/fp8-acc-dot.ts` is the
 * definition; DeepGEMM #37/#176, CUTLASS #3149).
 *
 * Ports: `en`, `first` (this beat starts a new dot product: acc = +0, partial = +0, count = 0),
 * `last` (promote after this beat), `a0..a{lanes-1}`, `b0..` (fp8 codes) -> `acc_out` (fp32,
 * registered; latency 1). One beat = `lanes` products when `en`; `first` without `en` clears,
 * `last` without `en` does nothing.
 * Per beat: the partial P and the exact products are aligned to the largest top-bit exponent E of
 * the non-zero terms, each magnitude truncated toward zero to a multiple of 2^(E − W + 1)
 * (W = `align_bits`), summed exactly into the new P (signed integer register of W + ceil(log2
 * (lanes + 1)) + 1 bits and its LSB exponent). After the beat that completes `promote_every`
 * products since the last promotion (0 = never), or a `last` beat: acc = fp32(acc + P) (one
 * round-to-nearest-even rounding, overflow to ±Inf, subnormals kept) and P = +0. NaN products,
 * Inf·0 and +Inf + −Inf make P NaN; Inf products make it ±Inf (sticky flags until promotion).
 * `rst` (synchronous, active high) clears everything to +0.
 */
import { defineModule, SInt, UInt, type BuiltDesign, type ModuleBuilder, type Sig } from '../index.ts';
import { floatInput, fp32, asFloat, type FloatFormat } from '../float/format.ts';
import { alignedAdd, exactMul, roundToFloat } from '../float/arith.ts';
import { exactOf, unpackFloat, type ExactFloat } from '../float/unpack.ts';
import { bitsFor, clampToUInt, normalize } from '../float/bits.ts';
import { intParam } from './params.ts';
import { floatFormatParam } from './fp-params.ts';
import { rtlGenerator } from './define.ts';

export interface Fp8AccDotParams {
  readonly name: string;
  readonly a: FloatFormat;
  readonly b: FloatFormat;
  readonly lanes: number;
  readonly align_bits: number;
  readonly promote_every: number;
}

const O = { saturate: false, subnormals: 'ieee' } as const;
const EXP_W = 12;

export function checkFp8AccParams(p: Fp8AccDotParams): void {
  const bad = (msg: string): never => { throw new RangeError(`fp8_acc_dot '${p.name}': ${msg}`); };
  if (!Number.isInteger(p.lanes) || p.lanes < 1) bad(`lanes must be >= 1, got ${p.lanes}`);
  if (!Number.isInteger(p.align_bits) || p.align_bits < 2 || p.align_bits > 64) bad(`align_bits must be 2..64, got ${p.align_bits}`);
  if (!Number.isInteger(p.promote_every) || p.promote_every < 0 || p.promote_every % p.lanes !== 0) bad(`promote_every must be 0 or a multiple of lanes (${p.lanes}), got ${p.promote_every}`);
}

/** A term of the alignment: normalized magnitude (top bit set unless zero), its top-bit exponent, sign. */
interface Term { readonly n: Sig; readonly top: Sig; readonly sign: Sig; readonly zero: Sig }

function termOf(sign: Sig, lsbExp: Sig, mag: Sig): Term {
  const { sig: n, lz } = normalize(mag);
  const top = lsbExp.add(mag.width - 1).sub(lz).wrap(EXP_W);
  return { n, top, sign, zero: mag.orR().not() };
}

export function buildFp8AccDot(p: Fp8AccDotParams): BuiltDesign {
  checkFp8AccParams(p);
  const W = p.align_bits;
  const L = p.lanes;
  const sumW = W + bitsFor(L) + 1;
  const period = p.promote_every / L;
  return defineModule(p.name, (m) => {
    m.doc(`FP8 dot product, ${L} products per beat (a ${p.a.name}, b ${p.b.name}) -> fp32, two-level accumulator (golden fp8AccDot)`);
    m.doc(`partial: terms aligned to the largest top-bit exponent E, magnitudes truncated toward zero to 2^(E - ${W - 1}) (${W} bits kept), summed exactly`);
    m.doc(`promotion: ${p.promote_every > 0 ? `every ${p.promote_every} products and ` : ''}on last: acc = fp32(acc + partial), round-to-nearest-even, overflow to +-Inf, subnormals kept; latency 1`);
    m.latency(1);
    const en = m.input('en', UInt(1));
    const first = m.input('first', UInt(1));
    const last = m.input('last', UInt(1));
    const as = Array.from({ length: L }, (_, i) => floatInput(m, `a${i}`, p.a));
    const bs = Array.from({ length: L }, (_, i) => floatInput(m, `b${i}`, p.b));
    const zero1 = m.constant(0n, UInt(1));
    const acc = m.reg('acc', UInt(32), { reset: 0n });
    const pSum = m.reg('part_sum', SInt(sumW), { reset: 0n });
    const pExp = m.reg('part_exp', SInt(EXP_W), { reset: 0n });
    const flags = ['nan', 'pinf', 'ninf'].map((f) => m.reg(`part_${f}`, UInt(1), { reset: 0n }));
    const clr = <T extends Sig>(x: T, z: Sig): Sig => first.choose(z, x);
    const accBase = clr(acc, m.constant(0n, UInt(32)));
    const sumBase = clr(pSum, m.constant(0n, SInt(sumW)));
    const [nanB, pinfB, ninfB] = flags.map((f) => clr(f, zero1)) as [Sig, Sig, Sig];
    const prods: ExactFloat[] = as.map((a, i) => exactMul(exactOf(unpackFloat(a)), exactOf(unpackFloat(bs[i]!))));
    const partNeg = sumBase.lt(0);
    const partMag = partNeg.choose(sumBase.neg(), sumBase).slice(sumW - 1, 0);
    const terms: Term[] = [termOf(partNeg, pExp, partMag), ...prods.map((x) => termOf(x.sign, x.exp, x.sig))];
    const minE = m.constant(-(1n << BigInt(EXP_W - 1)), SInt(EXP_W));
    const E = terms.map((t) => t.zero.choose(minE, t.top)).reduce((x, y) => x.ge(y).choose(x, y));
    const aligned = terms.map((t) => {
      const w = t.n.width;
      const win = w >= W ? t.n.slice(w - 1, w - W) : t.n.shl(W - w);
      const d = clampToUInt(E.sub(t.top), W);
      const v = win.shr(d).toSigned();
      return t.sign.choose(v.neg(), v);
    });
    const newSum = aligned.reduce((x, y) => x.add(y)).wrap(sumW);
    const newExp = E.sub(W - 1).wrap(EXP_W);
    const anyP = (f: (x: ExactFloat) => Sig): Sig => prods.map(f).reduce((x, y) => x.or(y));
    const nan = nanB.or(anyP((x) => x.nan));
    const pinf = pinfB.or(anyP((x) => x.inf.and(x.sign.not()).and(x.nan.not())));
    const ninf = ninfB.or(anyP((x) => x.inf.and(x.sign).and(x.nan.not())));
    const promote = period > 0 ? last.or(countReg(m, en, first, last, period)) : last;
    const sumNeg = newSum.lt(0);
    const inf = pinf.or(ninf);
    const partial: ExactFloat = {
      sign: inf.choose(ninf, sumNeg),
      exp: newExp,
      sig: sumNeg.choose(newSum.neg(), newSum).slice(sumW - 1, 0),
      inf,
      nan: nan.or(pinf.and(ninf)),
    };
    const promoted = roundToFloat(alignedAdd(exactOf(unpackFloat(asFloat(accBase, fp32))), partial, fp32.manBits), fp32, O).sig;
    const step = en.and(promote);
    acc.next(step.choose(promoted, accBase));
    pSum.next(en.choose(promote.choose(m.constant(0n, SInt(sumW)), newSum), sumBase));
    pExp.next(en.choose(newExp, pExp));
    for (const [i, now] of [nan, pinf, ninf].entries()) flags[i]!.next(en.choose(promote.choose(zero1, now), [nanB, pinfB, ninfB][i]!));
    m.output('acc_out', UInt(32)).drive(acc);
  });
}

/** Beats since the last promotion; 1 on the beat that completes `period` beats. */
function countReg(m: ModuleBuilder, en: Sig, first: Sig, last: Sig, period: number): Sig {
  if (period === 1) return m.constant(1n, UInt(1));
  const w = bitsFor(period - 1);
  const cnt = m.reg('beat_count', UInt(w), { reset: 0n });
  const base = first.choose(m.constant(0n, UInt(w)), cnt);
  const full = base.eq(period - 1);
  const restart = full.or(last);
  cnt.next(en.choose(restart.choose(m.constant(0n, UInt(w)), base.add(1).wrap(w)), base));
  return full;
}

/** `generator: fp8_acc_dot` in design files. */
export const fp8AccDotGenerator = rtlGenerator({
  name: 'fp8_acc_dot',
  doc: 'FP8 dot product with a tensor-core-like accumulator: products aligned to the largest exponent and truncated to align_bits bits in a partial sum, promoted to fp32 every promote_every products and on last (golden fp8AccDot); latency 1',
  params: {
    a: floatFormatParam('operand a format', 'fp8_e4m3', ['fp8_e4m3', 'fp8_e5m2']),
    b: floatFormatParam('operand b format', 'fp8_e4m3', ['fp8_e4m3', 'fp8_e5m2']),
    lanes: intParam('products per beat', 1, 64, 4),
    align_bits: intParam('bits of the largest aligned term kept in the partial sum (about 14 on Hopper FP8 MMA, DeepGEMM #37)', 2, 64, 14),
    promote_every: intParam('products between promotions of the partial sum to the fp32 accumulator (a multiple of lanes; 0 = only on last; DeepGEMM uses 128)', 0, 1 << 20, 128),
  },
  build: (name, p) => buildFp8AccDot({ name, ...p }),
});
