/**
 * Arithmetic: IEEE specials and signed zeros; fp32 add/sub/mul on random operands against binary64
 * arithmetic rounded by Math.fround (exact: double rounding is innocuous since 53 >= 2·24 + 2);
 * fp32 and fp16 fma against an exact rational computation with an independent nearest-code search.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bf16,
  classifyFloat,
  decodeFloat,
  fastFp32Add,
  fastFp32Mul,
  floatAdd,
  floatDiv,
  floatFma,
  floatMul,
  floatMulAdd,
  floatSub,
  fp16,
  fp32,
  fp8_e4m3,
  fp8_e4m3fnuz,
  valueToNumber,
} from '../../../../sim/golden/float/index.ts';
import { Rational } from '../../../../sim/golden/rational.ts';

// Independent binary32 <-> binary64 helpers (not the library's).
const dv = new DataView(new ArrayBuffer(4));
function f32Value(code: number): number {
  dv.setUint32(0, code);
  return dv.getFloat32(0);
}
function f32Code(x: number): number {
  if (Number.isNaN(x)) return 0x7fc00000;
  dv.setFloat32(0, x);
  return dv.getUint32(0);
}
const hex = (c: number) => `0x${c.toString(16).padStart(8, '0')}`;

/** fp32 codes biased toward interesting regions: any pattern, near specials, subnormals, equal exponents. */
const f32Arb = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f7fffff, 0xff7fffff, 1, 0x80000001, 0x00800000, 0x3f800000),
  fc.integer({ min: 0, max: 0x00ffffff }).chain((m) => fc.constantFrom(m, (m | 0x80000000) >>> 0)),
  fc.integer({ min: 0x3f000000, max: 0x40800000 }).chain((m) => fc.constantFrom(m, (m | 0x80000000) >>> 0)),
);

describe('IEEE specials and signed zeros', () => {
  const c = (x: number) => f32Code(x);
  const NAN = 0x7fc00000;
  it('NaN in, NaN out (canonical)', () => {
    expect(floatAdd(fp32, 0x7f800001, c(1))).toBe(NAN);
    expect(floatMul(fp32, c(2), 0xffc12345)).toBe(NAN);
    expect(floatFma(fp32, c(1), c(1), 0x7fa00000)).toBe(NAN);
  });
  it('invalid operations', () => {
    expect(floatMul(fp32, c(Infinity), c(0))).toBe(NAN);
    expect(floatAdd(fp32, c(Infinity), c(-Infinity))).toBe(NAN);
    expect(floatFma(fp32, c(Infinity), c(0), c(1))).toBe(NAN);
    expect(floatFma(fp32, c(Infinity), c(1), c(-Infinity))).toBe(NAN);
    expect(floatDiv(fp32, c(0), c(-0))).toBe(NAN);
    expect(floatDiv(fp32, c(1), c(-0))).toBe(c(-Infinity));
  });
  it('signs of zero', () => {
    expect(floatAdd(fp32, c(-0), c(-0))).toBe(c(-0));
    expect(floatAdd(fp32, c(0), c(-0))).toBe(c(0));
    expect(floatAdd(fp32, c(1.5), c(-1.5))).toBe(c(0));
    expect(floatAdd(fp32, c(1.5), c(-1.5), { rounding: 'rdn' })).toBe(c(-0));
    expect(floatAdd(fp32, c(-0), c(-0), { rounding: 'rup' })).toBe(c(-0));
    expect(floatSub(fp32, c(-0), c(0))).toBe(c(-0));
    expect(floatMul(fp32, c(-0), c(5))).toBe(c(-0));
    expect(floatFma(fp32, c(-0), c(5), c(-0))).toBe(c(-0));
    expect(floatFma(fp32, c(-0), c(5), c(0))).toBe(c(0));
    expect(floatMul(fp32, c(-1e-30), c(1e-30))).toBe(c(-0)); // underflow keeps the sign
    expect(floatMul(fp8_e4m3fnuz, 0x81, 0x01)).toBe(0); // fnuz has no -0
  });
  it('overflow per options', () => {
    const max = 0x7f7fffff;
    expect(floatMul(fp32, max, c(2))).toBe(0x7f800000);
    expect(floatMul(fp32, max, c(2), { saturate: true })).toBe(max);
    expect(floatMul(fp32, max, c(2), { rounding: 'rtz' })).toBe(max);
    expect(floatMul(fp32, max, c(-2), { rounding: 'rup' })).toBe(0xff7fffff);
    expect(floatMul(fp8_e4m3, 0x7e, 0x40)).toBe(0x7f); // E4M3: overflow without saturation is NaN
    expect(floatMul(fp8_e4m3, 0x7e, 0x40, { saturate: true })).toBe(0x7e);
  });
  it('subnormal flushing', () => {
    const tiny = 0x00400000; // 2^-127, subnormal
    expect(floatAdd(fp32, tiny, 0)).toBe(tiny);
    expect(floatAdd(fp32, tiny, 0, { flushInput: true })).toBe(0);
    expect(floatAdd(fp32, (tiny | 0x80000000) >>> 0, 0x80000000, { flushInput: true })).toBe(0x80000000);
    expect(floatMul(fp32, c(2 ** -70), c(2 ** -60))).toBe(f32Code(2 ** -130));
    expect(floatMul(fp32, c(2 ** -70), c(2 ** -60), { flushOutput: 'before-rounding' })).toBe(0);
    // (1 + 2^-23)·(2^-126 - 2^-149) = 2^-126·(1 - 2^-46): tiny before rounding; rounded to 24 bits
    // with an unbounded exponent it is 2^-126, so it is not tiny after rounding.
    const a = f32Code(1 + 2 ** -23);
    const b = 0x007fffff;
    expect(floatMul(fp32, a, b, { flushOutput: 'after-rounding' })).toBe(0x00800000);
    expect(floatMul(fp32, a, b, { flushOutput: 'before-rounding' })).toBe(0);
    expect(floatMul(fp32, a, b)).toBe(0x00800000);
  });
  it('mul_add: fused vs unfused (public vector v214)', () => {
    expect(floatFma(fp16, 0x3c01, 0x3bff, 0xbc00)).toBe(0x0ffe);
    expect(floatMulAdd(fp16, 0x3c01, 0x3bff, 0xbc00)).toBe(0x0000);
    expect(floatMulAdd(bf16, 0x7f7f, 0x4000, 0xff7f)).toBe(0x7f80);
  });
});

describe('fp32 add/sub/mul against Math.fround(binary64)', () => {
  const check = (name: string, op: (a: number, b: number) => number, ref: (x: number, y: number) => number) =>
    it(name, () => {
      fc.assert(
        fc.property(f32Arb, f32Arb, (a, b) => {
          const want = f32Code(Math.fround(ref(f32Value(a), f32Value(b))));
          const got = op(a, b);
          if (got !== want) throw new Error(`${hex(a)} ${name} ${hex(b)}: got ${hex(got)}, want ${hex(want)}`);
        }),
        { numRuns: 20000 },
      );
    });
  check('add', (a, b) => floatAdd(fp32, a, b), (x, y) => x + y);
  check('sub', (a, b) => floatSub(fp32, a, b), (x, y) => x - y);
  check('mul', (a, b) => floatMul(fp32, a, b), (x, y) => x * y);
  check('fastFp32Add', fastFp32Add, (x, y) => x + y);
  check('fastFp32Mul', fastFp32Mul, (x, y) => x * y);
  it('fast fp32 paths equal the exact path', () => {
    fc.assert(
      fc.property(f32Arb, f32Arb, (a, b) => fastFp32Add(a, b) === floatAdd(fp32, a, b) && fastFp32Mul(a, b) === floatMul(fp32, a, b)),
      { numRuns: 5000 },
    );
  });
});

/**
 * Independent fp32 rne rounding of an exact rational: start from binary64/binary32 approximations,
 * then choose among neighbouring magnitude codes by exact distance (ties to even code; the code
 * 0x7f800000 stands for 2^128, so reaching it is overflow).
 */
function refRoundFp32(r: Rational, negZero: boolean): number {
  if (r.isZero()) return negZero ? 0x80000000 : 0;
  const sign = r.sign() < 0 ? 0x80000000 : 0;
  const a = r.abs();
  const approx = Math.min(f32Code(Math.fround(a.toNumber())) >>> 0, 0x7f800000);
  const mag = (code: number) => (code === 0x7f800000 ? Rational.pow2(128) : Rational.fromNumber(f32Value(code)));
  let best = -1;
  let bestDist: Rational | undefined;
  for (let c = Math.max(0, approx - 2); c <= Math.min(0x7f800000, approx + 2); c++) {
    const d = mag(c).sub(a).abs();
    if (bestDist === undefined || d.lt(bestDist) || (d.eq(bestDist) && c % 2 === 0)) {
      best = c;
      bestDist = d;
    }
  }
  return (sign + best) >>> 0;
}

/** Same, for fp16, by a search over all finite fp16 magnitudes (plus 2^16 for overflow). */
const fp16Mags: Rational[] = [...Array(0x7c01).keys()].map((c) => (c === 0x7c00 ? Rational.pow2(16) : Rational.fromNumber(valueToNumber(decodeFloat(fp16, c)))));
function refRoundFp16(r: Rational, negZero: boolean): number {
  if (r.isZero()) return negZero ? 0x8000 : 0;
  const a = r.abs();
  let lo = 0;
  let hi = 0x7c00;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((fp16Mags[mid] as Rational).le(a)) lo = mid;
    else hi = mid;
  }
  const dl = a.sub(fp16Mags[lo] as Rational);
  const dh = (fp16Mags[hi] as Rational).sub(a);
  const c = dl.isZero() ? lo : dl.lt(dh) ? lo : dh.lt(dl) ? hi : lo % 2 === 0 ? lo : hi;
  return (r.sign() < 0 ? 0x8000 : 0) + c;
}

function exactFmaRational(va: number, vb: number, vc: number): { r: Rational; negZero: boolean } | undefined {
  if (![va, vb, vc].every(Number.isFinite)) return undefined;
  const p = Rational.fromNumber(va).mul(Rational.fromNumber(vb));
  const r = p.add(Rational.fromNumber(vc));
  const pNeg = Object.is(va * vb, -0) || va * vb < 0;
  const cNeg = Object.is(vc, -0) || vc < 0;
  // Exact zero: -0 only when both terms are negative zeros... or -0 product and -0 addend.
  return { r, negZero: r.isZero() && p.isZero() && Rational.fromNumber(vc).isZero() && pNeg && cNeg };
}

describe('fma against exact rationals', () => {
  it('fp32', () => {
    const near = fc.tuple(fc.integer({ min: 0x3e000000, max: 0x41000000 }), fc.boolean()).map(([m, s]) => (s ? (m | 0x80000000) >>> 0 : m));
    const arb = fc.oneof(f32Arb, near);
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        const ex = exactFmaRational(f32Value(a), f32Value(b), f32Value(c));
        if (!ex) return;
        const want = refRoundFp32(ex.r, ex.negZero);
        const got = floatFma(fp32, a, b, c);
        if (got !== want) throw new Error(`fma(${hex(a)}, ${hex(b)}, ${hex(c)}): got ${hex(got)}, want ${hex(want)}`);
      }),
      { numRuns: 5000 },
    );
  });
  it('fp32: catastrophic cancellation (c = -round(a·b))', () => {
    fc.assert(
      fc.property(f32Arb, f32Arb, (a, b) => {
        const p = f32Code(Math.fround(f32Value(a) * f32Value(b)));
        const c = (p ^ 0x80000000) >>> 0;
        const ex = exactFmaRational(f32Value(a), f32Value(b), f32Value(c));
        if (!ex || classifyFloat(fp32, p) !== 'normal') return;
        expect(floatFma(fp32, a, b, c)).toBe(refRoundFp32(ex.r, ex.negZero));
      }),
      { numRuns: 3000 },
    );
  });
  it('fp16, fused and unfused', () => {
    const arb = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        const [va, vb, vc] = [a, b, c].map((x) => valueToNumber(decodeFloat(fp16, x))) as [number, number, number];
        const ex = exactFmaRational(va, vb, vc);
        if (!ex) return;
        const want = refRoundFp16(ex.r, ex.negZero);
        const got = floatFma(fp16, a, b, c);
        if (got !== want) throw new Error(`fma16(${a}, ${b}, ${c}): got ${got}, want ${want}`);
        // Unfused: product rounded first (fp16 products of finite values are exact in binary64).
        const p = refRoundFp16(Rational.fromNumber(va * vb), Object.is(va * vb, -0));
        if (p >= 0x7c00 && p < 0x8000) return; // overflowed product: covered by the specials tests
        if (p >= 0xfc00) return;
        const vp = valueToNumber(decodeFloat(fp16, p));
        const ex2 = exactFmaRational(vp, 1, vc);
        if (ex2) expect(floatMulAdd(fp16, a, b, c)).toBe(refRoundFp16(ex2.r, ex2.negZero));
      }),
      { numRuns: 5000 },
    );
  });
});
