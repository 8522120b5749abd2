import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '../../../../sim/golden/rational.ts';
import { accumulatorWidth, signedWidthOf } from '../../../../sim/golden/accel/accumulator-width.ts';
import { binary32ToInt32Sat, mulBinary32, roundToBinary32 } from '../../../../sim/golden/accel/binary32.ts';
import { gemminiAccScale, gemminiRoundingShift } from '../../../../sim/golden/accel/gemmini.ts';
import { nvdlaCvt } from '../../../../sim/golden/accel/nvdla.ts';
import { INT8, INT16, intMax, intMin, parseIntType } from '../../../../sim/golden/int/int-type.ts';

describe('binary32 rounding', () => {
  it('agrees with Math.fround on random doubles, subnormals and overflow included (independent oracle)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const want = Math.fround(x);
        const got = roundToBinary32(Rational.fromNumber(x));
        if (!Number.isFinite(want)) expect(got).toBe(want > 0 ? 'Inf' : '-Inf');
        else expect(typeof got === 'string' ? got : got.toString()).toBe(Rational.fromNumber(want).toString());
      }),
      { numRuns: 5000 },
    );
  });

  it('handles the binade edges by hand', () => {
    const max = Rational.parse('340282346638528859811704183484516925440'); // FLT_MAX
    expect(roundToBinary32(max)).toEqual(max);
    expect(roundToBinary32(max.add(Rational.pow2(103)))).toBe('Inf'); // halfway to 2^128 ties to even = 2^128
    expect(roundToBinary32(Rational.pow2(-150))).toEqual(Rational.ZERO); // half the smallest subnormal, tie to 0
    expect(roundToBinary32(Rational.of(33554435n))).toEqual(Rational.of(33554436n));
    expect(mulBinary32('Inf', Rational.of(-2n))).toBe('-Inf');
    expect(binary32ToInt32Sat(Rational.parse('2.5'))).toBe(2n);
    expect(binary32ToInt32Sat(Rational.pow2(40))).toBe((1n << 31n) - 1n);
  });
});

describe('Gemmini', () => {
  it('rounding shift is round-half-even (hand)', () => {
    expect([5n, -5n, -7n, 6n, 7n].map((x) => gemminiRoundingShift(x, 1))).toEqual([2n, -2n, -4n, 3n, 4n]);
    expect(gemminiRoundingShift(-(1n << 31n), 31)).toBe(-1n);
    expect(() => gemminiRoundingShift(0n, 32)).toThrow(/0\.\.31/);
  });

  it('acc_scale: activation, fp32 conversions and int8 clip (hand)', () => {
    expect(gemminiAccScale(5n, Rational.parse('0.5'), 'none')).toBe(2n);
    expect(gemminiAccScale(-7n, Rational.parse('0.5'), 'relu')).toBe(0n);
    expect(gemminiAccScale(-(1n << 31n), Rational.parse('2'), 'none')).toBe(-128n);
    // 2^24 + 1 is not a binary32: it rounds to 2^24 first, so the scaled result is 1, not 1.0000000596.
    expect(gemminiAccScale((1n << 24n) + 1n, Rational.pow2(-24), 'none')).toBe(1n);
    expect(() => gemminiAccScale(1n, Rational.parse('0.1'), 'none')).toThrow(/not exactly a binary32/);
  });
});

describe('NVDLA cvt', () => {
  it('rounds half away from zero and saturates (hand)', () => {
    const p = { offset: 0n, scaling: 1n, shifter: 1, outType: INT8 };
    expect(nvdlaCvt(5n, p)).toBe(3n);
    expect(nvdlaCvt(-5n, p)).toBe(-3n);
    expect(nvdlaCvt(1000n, p)).toBe(127n);
    // (2^31 - 1 - (-2^31)) * (-2^15) / 2^0 saturates to int16 min: the product needs 49 bits.
    expect(nvdlaCvt((1n << 31n) - 1n, { offset: -(1n << 31n), scaling: -(1n << 15n), shifter: 0, outType: INT16 })).toBe(-32768n);
    expect(() => nvdlaCvt(0n, { ...p, scaling: 1n << 15n })).toThrow(/int16/);
  });
});

describe('accumulatorWidth', () => {
  it('matches hand values', () => {
    const i8 = { type: INT8, narrow: false };
    expect(accumulatorWidth(i8, i8, 1n)).toBe(16); // (-128)^2 = 2^14 needs 16 bits
    expect(accumulatorWidth(i8, i8, 9n)).toBe(19);
    expect(accumulatorWidth(i8, i8, 1n << 17n)).toBe(33);
    expect(accumulatorWidth(i8, i8, 1n << 100n)).toBe(116);
    expect(signedWidthOf(-1n, 0n)).toBe(1);
    expect(signedWidthOf(0n, 1n)).toBe(2);
  });

  it('equals a brute-force search over all products for small types (k = 1..3)', () => {
    const names = ['int2', 'uint2', 'int3', 'uint3', 'int4', 'uint4'];
    for (const an of names) for (const bn of names) for (const an2 of [false, true]) for (const bn2 of [false, true]) {
      const a = { type: parseIntType(an), narrow: an2 && an.startsWith('int') };
      const b = { type: parseIntType(bn), narrow: bn2 && bn.startsWith('int') };
      const values = (o: typeof a) => {
        const out: bigint[] = [];
        for (let v = o.narrow ? -intMax(o.type) : intMin(o.type); v <= intMax(o.type); v++) out.push(v);
        return out;
      };
      const products = values(a).flatMap((x) => values(b).map((y) => x * y));
      for (const k of [1n, 2n, 3n]) {
        // All sums of k products: their extremes are k times the extreme product.
        let lo = 0n;
        let hi = 0n;
        for (let i = 0n; i < k; i++) {
          lo += products.reduce((p, q) => (q < p ? q : p));
          hi += products.reduce((p, q) => (q > p ? q : p));
        }
        let w = 1;
        while (lo < -(1n << BigInt(w - 1)) || hi > (1n << BigInt(w - 1)) - 1n) w++;
        expect(accumulatorWidth(a, b, k)).toBe(w);
      }
    }
  });
});
