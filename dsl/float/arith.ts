/**
 * Float operations on `FloatSig`s, each the exact result rounded once by `roundFloat`
 * (round-to-nearest-even). Operands may be of different formats; the result format is named.
 * Specials follow IEEE 754: any NaN operand gives NaN; Inf·0, Inf - Inf give NaN; NaN results
 * are the output format's canonical NaN (payloads never propagate). Exact zero sums are +0,
 * except (-0) + (-0) = -0; product zeros carry the XOR of the signs.
 */
import type { Sig } from '../builder/signal.ts';
import type { FloatFormat, FloatOpOptions, FloatSig } from './format.ts';
import { exactOf, unpackFloat, type ExactFloat } from './unpack.ts';
import { roundExact } from './round.ts';
import { cat, clampToUInt, normalize, shrSticky, zeros } from './bits.ts';
import { atCallerLoc } from '../diagnostics/loc.ts';

const flushOf = (o: FloatOpOptions): { flush: boolean } => ({ flush: o.subnormals === 'flush' });

/** The exact product of two exact values (sig widths add, exponents add). */
export function exactMul(a: ExactFloat, b: ExactFloat): ExactFloat {
  return atCallerLoc(() => {
    const aZero = a.sig.orR().not();
    const bZero = b.sig.orR().not();
    return {
      sign: a.sign.xor(b.sign).named('prod_sign'),
      exp: a.exp.add(b.exp).named('prod_exp'),
      sig: a.sig.mul(b.sig).named('prod_mant'),
      inf: a.inf.or(b.inf),
      nan: a.nan.or(b.nan).or(a.inf.and(bZero.and(b.nan.not()))).or(b.inf.and(aZero.and(a.nan.not()))),
    };
  });
}

/**
 * x + y for rounding to `precision` mantissa bits: both significands are normalized, the one with
 * the larger top-bit exponent is placed in a window of L + 3 bits (L = max(sig width, precision
 * + 3)), the other is aligned below it and every bit shifted out of the window is ORed into the
 * window's LSB (a sticky bit). The sum is exact except for that sticky bit, which is always below
 * the guard position of a `precision`-bit rounding, so rounding the result once is the correctly
 * rounded exact sum. Exact cancellation gives +0; (-0) + (-0) gives -0.
 */
export function alignedAdd(x: ExactFloat, y: ExactFloat, precision: number): ExactFloat {
  return atCallerLoc(() => {
    const W = Math.max(x.sig.width, y.sig.width);
    const widen = (v: ExactFloat): { sig: Sig; exp: Sig } => (v.sig.width === W ? { sig: v.sig, exp: v.exp } : { sig: v.sig.shl(W - v.sig.width), exp: v.exp.sub(W - v.sig.width) });
    const xw = widen(x);
    const yw = widen(y);
    const xz = xw.sig.orR().not();
    const yz = yw.sig.orR().not();
    const nx = normalize(xw.sig);
    const ny = normalize(yw.sig);
    const ex = xw.exp.add(W - 1).sub(nx.lz);
    const ey = yw.exp.add(W - 1).sub(ny.lz);
    const xBig = xz.not().and(yz.or(ex.ge(ey))).named('x_bigger');
    const bigSig = xBig.choose(nx.sig, ny.sig);
    const smallSig = xBig.choose(ny.sig, nx.sig);
    const bigE = xBig.choose(ex, ey);
    const smallE = xBig.choose(ey, ex);
    const bigSign = xBig.choose(x.sign, y.sign);
    const smallSign = xBig.choose(y.sign, x.sign);
    const L = Math.max(W, precision + 3);
    // Window bit i weighs 2^(bigE - L - 1 + i); the big operand's top bit is bit L + 1.
    const bigWin = bigSig.shl(L + 2 - W);
    const smallFull = smallSig.shl(L + 2 - W);
    const amt = clampToUInt(bigE.sub(smallE).named('exp_diff'), L + 2);
    const sh = shrSticky(smallFull, amt);
    const smallWin = cat(sh.sig.slice(L + 1, 1), sh.sticky.or(sh.sig.bit(0))).named('mant_aligned');
    const effSub = bigSign.xor(smallSign).named('eff_sub');
    const sum = effSub.choose(bigWin.sub(smallWin), bigWin.add(smallWin)).named('sum');
    const neg = sum.lt(0);
    const mag = neg.choose(sum.neg(), sum).slice(L + 2, 0).named('sum_mag');
    const magZero = mag.orR().not();
    const zeroSign = xz.and(yz).and(x.sign).and(y.sign);
    const finiteSign = magZero.choose(zeroSign, bigSign.xor(neg));
    const inf = x.inf.or(y.inf);
    const infSign = x.inf.choose(x.sign, y.sign);
    return {
      sign: inf.choose(infSign, finiteSign),
      exp: bigE.sub(L + 1),
      sig: mag,
      inf,
      nan: x.nan.or(y.nan).or(x.inf.and(y.inf).and(x.sign.xor(y.sign))),
    };
  });
}

/** a · b rounded once to `out`. */
export function floatMul(a: FloatSig, b: FloatSig, out: FloatFormat, o: FloatOpOptions): FloatSig {
  return atCallerLoc(() => {
    const p = exactMul(exactOf(unpackFloat(a, flushOf(o))), exactOf(unpackFloat(b, flushOf(o))));
    return { sig: roundExact(p, out, o), format: out };
  });
}

/** a + b rounded once to `out`. */
export function floatAdd(a: FloatSig, b: FloatSig, out: FloatFormat, o: FloatOpOptions): FloatSig {
  return atCallerLoc(() => {
    const s = alignedAdd(exactOf(unpackFloat(a, flushOf(o))), exactOf(unpackFloat(b, flushOf(o))), out.manBits);
    return { sig: roundExact(s, out, o), format: out };
  });
}

/** Fused a · b + c: the exact product added exactly, rounded once to `out` (IEEE fusedMultiplyAdd). */
export function floatFma(a: FloatSig, b: FloatSig, c: FloatSig, out: FloatFormat, o: FloatOpOptions): FloatSig {
  return atCallerLoc(() => {
    const p = exactMul(exactOf(unpackFloat(a, flushOf(o))), exactOf(unpackFloat(b, flushOf(o))));
    const s = alignedAdd(p, exactOf(unpackFloat(c, flushOf(o))), out.manBits);
    return { sig: roundExact(s, out, o), format: out };
  });
}

/** Format conversion: the exact value of `x` rounded once to `to`. */
export function floatConvert(x: FloatSig, to: FloatFormat, o: FloatOpOptions): FloatSig {
  return atCallerLoc(() => {
    return { sig: roundExact(exactOf(unpackFloat(x, flushOf(o))), to, o), format: to };
  });
}

/** Rounds an exact value (e.g. an `exactMul` or `alignedAdd` result) to `out`. */
export function roundToFloat(x: ExactFloat, out: FloatFormat, o: FloatOpOptions): FloatSig {
  return atCallerLoc(() => {
    return { sig: roundExact(x, out, o), format: out };
  });
}

