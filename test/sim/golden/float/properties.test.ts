/**
 * fast-check properties of the rounding routine and conversions: monotonicity, saturation range,
 * error bounds (half an ulp for rne/rna; under one ulp and on the right side for directed modes);
 * integer conversion; the dot-product tree.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bf16,
  classifyFloat,
  decodeFloat,
  dotTree,
  floatConvert,
  floatToInt,
  fp16,
  fp32,
  fp4_e2m1,
  fp6_e2m3,
  fp8_e4m3,
  fp8_e5m2,
  fp8_e4m3fnuz,
  intToFloat,
  roundToFormat,
  treeReduce,
  valueFromRational,
  valueToRational,
  valueToString,
  type FloatFormat,
  type FloatRounding,
  type FloatValue,
} from '../../../../sim/golden/float/index.ts';
import { Rational } from '../../../../sim/golden/rational.ts';

const TARGETS: FloatFormat[] = [fp16, bf16, fp8_e4m3, fp8_e5m2, fp8_e4m3fnuz, fp6_e2m3, fp4_e2m1];
const MODES: FloatRounding[] = ['rne', 'rna', 'rtz', 'rup', 'rdn'];
const nonNanF32 = fc.integer({ min: 0, max: 0xffffffff }).filter((c) => classifyFloat(fp32, c) !== 'nan');
const rational = fc
  .tuple(fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }), fc.bigInt({ min: 1n, max: 2n ** 80n }), fc.integer({ min: -160, max: 40 }))
  .map(([n, d, k]) => Rational.of(n, d).mulPow2(k));

const val = (fmt: FloatFormat, c: number): FloatValue => decodeFloat(fmt, c);
const num = (v: FloatValue): Rational | 'inf' | '-inf' => (v.kind === 'inf' ? (v.neg ? '-inf' : 'inf') : valueToRational(v));
function cmp(a: FloatValue, b: FloatValue): number {
  const x = num(a);
  const y = num(b);
  if (x === y) return 0;
  if (x === '-inf' || y === 'inf') return -1;
  if (x === 'inf' || y === '-inf') return 1;
  return x.cmp(y);
}

describe('conversion properties (fp32 → narrow formats)', () => {
  it('is monotonic in every mode', () => {
    fc.assert(
      fc.property(nonNanF32, nonNanF32, fc.constantFrom(...TARGETS), fc.constantFrom(...MODES), fc.boolean(), (a, b, to, rounding, saturate) => {
        if (cmp(val(fp32, a), val(fp32, b)) > 0) [a, b] = [b, a];
        const ra = floatConvert(fp32, to, a, { rounding, saturate });
        const rb = floatConvert(fp32, to, b, { rounding, saturate });
        if (classifyFloat(to, ra) === 'nan' || classifyFloat(to, rb) === 'nan') return; // non-saturating fn overflow
        expect(cmp(val(to, ra), val(to, rb))).toBeLessThanOrEqual(0);
      }),
      { numRuns: 4000 },
    );
  });

  it('saturating results stay in [-max, max] and are never Inf/NaN', () => {
    fc.assert(
      fc.property(nonNanF32, fc.constantFrom(...TARGETS), fc.constantFrom(...MODES), (a, to, rounding) => {
        const r = floatConvert(fp32, to, a, { rounding, saturate: true });
        const cls = classifyFloat(to, r);
        expect(cls === 'nan' || cls === 'inf').toBe(false);
        expect(valueToRational(val(to, r)).abs().le(valueToRational(val(to, to.maxCode)))).toBe(true);
      }),
      { numRuns: 4000 },
    );
  });
});

describe('rounding error bounds on exact rationals', () => {
  it('within half an ulp (rne, rna), under one ulp on the correct side (directed)', () => {
    fc.assert(
      fc.property(rational, fc.constantFrom(fp32, ...TARGETS), fc.constantFrom(...MODES), (x, fmt, rounding) => {
        const code = roundToFormat(fmt, valueFromRational(x), { rounding, saturate: true });
        const max = valueToRational(val(fmt, fmt.maxCode));
        if (x.abs().cmp(max) > 0) return; // saturated: checked above
        const y = valueToRational(val(fmt, code));
        const e = x.isZero() ? fmt.emin : Math.max(x.abs().floorLog2(), fmt.emin);
        const ulp = Rational.pow2(e - fmt.manBits);
        const err = y.sub(x);
        if (rounding === 'rne' || rounding === 'rna') expect(err.abs().le(ulp.mulPow2(-1))).toBe(true);
        else {
          expect(err.abs().lt(ulp)).toBe(true);
          const s = err.sign();
          if (rounding === 'rtz') expect(s === 0 || s === -x.sign()).toBe(true);
          if (rounding === 'rup') expect(s >= 0).toBe(true);
          if (rounding === 'rdn') expect(s <= 0).toBe(true);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('integer conversion', () => {
  it('float → int rounds and saturates', () => {
    const c = (x: number) => roundToFormat(fp32, valueFromRational(Rational.fromNumber(x)));
    expect(floatToInt(fp32, c(2.5), { width: 8, signed: true })).toBe(2n);
    expect(floatToInt(fp32, c(2.5), { width: 8, signed: true, rounding: 'rna' })).toBe(3n);
    expect(floatToInt(fp32, c(-2.5), { width: 8, signed: true, rounding: 'rdn' })).toBe(-3n);
    expect(floatToInt(fp32, c(1000), { width: 8, signed: true })).toBe(127n);
    expect(floatToInt(fp32, c(-1000), { width: 8, signed: false })).toBe(0n);
    expect(floatToInt(fp32, 0xff800000, { width: 32, signed: true })).toBe(-(2n ** 31n));
    expect(floatToInt(fp32, 0x7fc00000, { width: 32, signed: true })).toBe(0n);
    expect(floatToInt(fp8_e4m3, 0x7e, { width: 16, signed: false })).toBe(448n);
  });
  it('int → float is correctly rounded', () => {
    expect(intToFloat(fp32, 2n ** 24n + 1n)).toBe(0x4b800000);
    expect(intToFloat(fp32, 2n ** 24n + 3n)).toBe(0x4b800002);
    expect(intToFloat(fp16, 70000n)).toBe(0x7c00);
    expect(intToFloat(fp16, 70000n, { saturate: true })).toBe(0x7bff);
    expect(intToFloat(fp8_e4m3, -17n)).toBe(0xd8); // -16 (tie to even)
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), (n) => {
        const code = intToFloat(fp32, n, { rounding: 'rtz' });
        const back = floatToInt(fp32, code, { width: 64, signed: true, rounding: 'rtz' });
        const diff = n - back;
        expect(diff * (n < 0n ? -1n : 1n) >= 0n).toBe(true); // truncation toward zero
      }),
    );
  });
});

describe('dotTree', () => {
  const v = (x: string): FloatValue => {
    const e = valueFromRational(Rational.parse(x));
    if (e.kind === 'ratio') throw new Error('not dyadic');
    return e;
  };
  it('reduces pairwise, odd element passing up', () => {
    const order: string[] = [];
    const s = treeReduce(['1', '2', '3', '4', '5'].map(v), (a, b) => {
      order.push(`${valueToString(a)}+${valueToString(b)}`);
      return v(valueToRational(a).add(valueToRational(b)).toString());
    });
    expect(order).toEqual(['1+2', '3+4', '3+7', '10+5']);
    expect(valueToString(s)).toBe('15');
  });
  it('exact vs rounded accumulation', () => {
    const f16 = (x: number) => roundToFormat(fp16, valueFromRational(Rational.fromNumber(x)));
    // 2048 + 1 + 1 + 1: pairwise in fp16 gives (2048+1)=2048, (1+1)=2 → 2050; exact 2051 → 2052 (tie to even).
    const a = [2048, 1, 1, 1].map(f16);
    const b = [1, 1, 1, 1].map(f16);
    const base = { aFormat: fp16, bFormat: fp16, output: fp16 } as const;
    expect(dotTree(a, b, base)).toBe(f16(2052));
    expect(dotTree(a, b, { ...base, sums: fp16 })).toBe(f16(2050));
    expect(dotTree(a, b, { ...base, sums: fp32, addend: { format: fp16, code: f16(-2048) } })).toBe(f16(3));
    expect(dotTree([0x7c00, 0], [0, 0], base)).toBe(fp16.nanCode); // Inf·0
    expect(dotTree([], [], base)).toBe(0);
  });
});
