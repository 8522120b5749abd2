/**
 * The binary64 fast arithmetic (round-to-odd sums, the Number rounder) against the exact bigint
 * path: sums of decoded values computed with `exactAdd` / `exactSum` and rounded by
 * `roundToFormat`, in every rounding mode, saturating or not, with and without flushing.
 */
import { describe, expect, test } from 'vitest';
import {
  addToOdd, bf16, decodeFloat, exactAdd, exactMul, exactSum, fp16, fp32, fp4_e2m1, fp6_e3m2, fp8_e4m3, fp8_e4m3fnuz, fp8_e5m2,
  bitRounder, FLOAT_ROUNDINGS, numberDecoder, numberRounder, roundToFormat, sumToOdd, valueFromNumber, type FloatFormat, type FloatFlushMode,
} from '../../../../sim/golden/index.ts';
import { Rng } from '../../../../sim/random.ts';

/** A random finite code of `f` (uniform bits, retried on Inf/NaN). */
function finiteCode(f: FloatFormat, rng: Rng): number {
  const dec = numberDecoder(f, false)!;
  for (;;) {
    const c = rng.bits(f.width);
    if (Number.isFinite(dec(c))) return c;
  }
}

describe('numberRounder = roundToFormat', () => {
  const targets = [fp16, bf16, fp8_e4m3, fp8_e4m3fnuz, fp8_e5m2, fp6_e3m2, fp4_e2m1, fp32];
  for (const f of targets) {
    test(f.name, () => {
      const rng = new Rng(7);
      // Products of fp32 codes near the target's range (exact in binary64), and their sums rounded to odd.
      const xs: number[] = [0, -0, Infinity, -Infinity];
      const dec = numberDecoder(fp32, false)!;
      const near = (): number => {
        const e = f.emin - f.manBits - 3 + rng.below(f.emax - f.emin + f.manBits + 6);
        return (rng.below(2) ? -1 : 1) * (1 + rng.bits(23) / 2 ** 23) * 2 ** e;
      };
      for (let i = 0; i < 150; i++) xs.push(near() * dec(0x3f800000 + rng.bits(20)), addToOdd(near(), near() * 2 ** -(rng.below(60))));
      for (const rounding of FLOAT_ROUNDINGS) for (const saturate of [false, true]) for (const flushOutput of ['off', 'before-rounding'] as FloatFlushMode[]) {
        const opts = { rounding, saturate, flushOutput };
        const round = numberRounder(f, opts);
        for (const x of xs) {
          // The exact value of x (an odd-rounded value stands for itself: the tests below cover the sums).
          const want = roundToFormat(f, valueFromNumber(x), opts);
          if (round(x) !== want) expect({ x, opts, got: round(x) }).toEqual({ x, opts, got: want });
        }
      }
    });
  }
});

describe('sums rounded to odd, then to a format = the exact sum rounded once', () => {
  const cases: [FloatFormat, FloatFormat][] = [[fp32, fp32], [bf16, fp32], [fp32, bf16], [fp16, fp16], [fp8_e5m2, fp8_e4m3], [fp32, fp8_e4m3]];
  for (const [src, dst] of cases) {
    test(`${src.name} products and sums -> ${dst.name}`, () => {
      const rng = new Rng(11);
      const dec = numberDecoder(src, false)!;
      for (const rounding of FLOAT_ROUNDINGS) {
        const round = numberRounder(dst, { rounding });
        for (let i = 0; i < 200; i++) {
          const [a, b, c, d] = [finiteCode(src, rng), finiteCode(src, rng), finiteCode(src, rng), finiteCode(src, rng)];
          // (a·b) + (c·d): two exact products, one exact sum (often far apart in magnitude).
          const exact = exactAdd(exactMul(decodeFloat(src, a), decodeFloat(src, b)), exactMul(decodeFloat(src, c), decodeFloat(src, d)), rounding);
          if (rounding === 'rdn' && exact.kind === 'zero') continue; // binary64 sums use rne's zero sign; the models use rne
          const got = round(addToOdd(dec(a) * dec(b), dec(c) * dec(d)));
          expect(got).toBe(roundToFormat(dst, exact, { rounding }));
        }
      }
    });
  }

  test('sumToOdd of 32 products of fp8_e5m2 codes (range beyond one binary64) -> fp32', () => {
    const rng = new Rng(5);
    const dec = numberDecoder(fp8_e5m2, false)!;
    const round = numberRounder(fp32, {});
    const xs = new Float64Array(32);
    const partials: number[] = [];
    for (let i = 0; i < 600; i++) {
      const codes = Array.from({ length: 64 }, () => (rng.below(3) === 0 ? 0 : finiteCode(fp8_e5m2, rng)));
      // Half the rows: one huge product and many tiny ones (sticky bits far below the top).
      if (i % 2 === 0) { codes[0] = 0x7b; codes[32] = 0x7b; for (let k = 1; k < 32; k++) codes[32 + k] = 1; }
      for (let k = 0; k < 32; k++) xs[k] = dec(codes[k]!) * dec(codes[32 + k]!);
      const exact = exactSum(Array.from({ length: 32 }, (_, k) => exactMul(decodeFloat(fp8_e5m2, codes[k]!), decodeFloat(fp8_e5m2, codes[32 + k]!))));
      expect(round(sumToOdd(xs, 32, partials))).toBe(roundToFormat(fp32, exact));
    }
  });

  test('zero sums keep IEEE rne signs', () => {
    expect(Object.is(addToOdd(-0, -0), -0)).toBe(true);
    expect(Object.is(addToOdd(1.5, -1.5), 0)).toBe(true);
    expect(Object.is(sumToOdd([-0, -0, -0], 3, []), -0)).toBe(true);
    expect(Object.is(sumToOdd([-0, 0], 2, []), 0)).toBe(true);
    expect(Object.is(sumToOdd([2 ** 60, 1, -(2 ** 60), -1], 4, []), 0)).toBe(true);
  });
});

/** x moved by `k` units in the last place of its binary64 magnitude (finite non-zero x). */
function ulps(x: number, k: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, Math.abs(x));
  v.setBigUint64(0, v.getBigUint64(0) + BigInt(k));
  return Math.sign(x) * v.getFloat64(0);
}

describe('numberRounder bit path (normal results) = roundToFormat', () => {
  // Every code of the small formats, a sample of the wide ones: each value, the midpoint to the
  // next code (ties; past max: the overflow threshold), and one binary64 ulp either side of both
  // (round bit with and without sticky bits), both signs.
  const cases: [FloatFormat, number][] = [[fp4_e2m1, 1], [fp6_e3m2, 1], [fp8_e4m3, 1], [fp8_e4m3fnuz, 1], [fp8_e5m2, 1], [fp16, 97], [bf16, 89], [fp32, 4194319]];
  for (const [f, step] of cases) {
    test(`${f.name}${step > 1 ? ` (every ${step}th code)` : ''}`, () => {
      const dec = numberDecoder(f, false)!;
      const xs: number[] = [];
      for (let c = 1; c <= f.maxCode; c += step) {
        const v = dec(c);
        const next = c < f.maxCode ? dec(c + 1) : v + 2 ** (f.emax - f.manBits);
        for (const x of [v, (v + next) / 2]) xs.push(x, ulps(x, 1), ulps(x, -1), -x, -ulps(x, 1), -ulps(x, -1));
      }
      // Zeros, the underflow edges (half the smallest subnormal, the smallest subnormal), far
      // below them, and far beyond max finite.
      const sub = 2 ** (f.emin - f.manBits);
      for (const x of [sub / 2, sub, sub / 4, 2 ** -1074, 2 ** -1030, 2 ** (f.emax + 3), 1e300]) xs.push(x, ulps(x, 1), ulps(x, -1), -x, -ulps(x, 1), -ulps(x, -1));
      xs.push(0, -0);
      let viaBits = 0;
      for (const rounding of FLOAT_ROUNDINGS) for (const saturate of [false, true]) {
        const opts = { rounding, saturate, flushOutput: saturate ? 'before-rounding' as const : 'off' as const };
        const round = numberRounder(f, opts);
        const bits = bitRounder(f, opts)!;
        const v = new DataView(new ArrayBuffer(8));
        for (const x of xs) {
          v.setFloat64(0, x);
          if (bits(v.getUint32(0), v.getUint32(4)) >= 0) viaBits++;
          const got = round(x);
          const want = roundToFormat(f, valueFromNumber(x), opts);
          if (got !== want) expect({ x, opts, got }).toEqual({ x, opts, got: want });
        }
      }
      expect(viaBits).toBeGreaterThan(xs.length * 10 * 0.6); // the bit path does the bulk
    });
  }
});
