/**
 * The binary64 fast paths against the exact bigint path: exhaustively over every fp16 code for the
 * rounding routine, and on random operands for fp32 sources and fp16 add/mul.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bf16,
  decodeToNumber,
  fastFp16Add,
  fastFp16Mul,
  floatAdd,
  floatConvert,
  floatMul,
  fp16,
  fp32,
  fp32ToNumber,
  fp4_e2m1,
  fp6_e3m2,
  fp8_e4m3,
  fp8_e4m3fnuz,
  fp8_e5m2,
  roundNumberToFormat,
  type FloatFormat,
  type FloatRounding,
} from '../../../../sim/golden/float/index.ts';

const MODES: FloatRounding[] = ['rne', 'rna', 'rtz', 'rup', 'rdn'];
const TARGETS: FloatFormat[] = [fp8_e4m3, fp8_e5m2, fp8_e4m3fnuz, fp6_e3m2, fp4_e2m1, bf16];

describe('roundNumberToFormat = roundToFormat', () => {
  it.each(TARGETS.map((f) => [f.name, f] as const))('every fp16 code → %s, all modes, both saturations', (_n, to) => {
    for (const rounding of MODES) {
      for (const saturate of [false, true]) {
        for (let c = 0; c < 0x10000; c++) {
          const x = decodeToNumber(fp16, c);
          if (Number.isNaN(x) && to.nanCode === undefined) continue;
          const got = roundNumberToFormat(to, x, { rounding, saturate });
          const want = floatConvert(fp16, to, c, { rounding, saturate });
          if (got !== want) expect(got, `${rounding} ${saturate} fp16 0x${c.toString(16)}`).toBe(want);
        }
      }
    }
  });
  it('random fp32 codes → fp16, bf16, fp8, fp32', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(fp32, fp16, bf16, fp8_e4m3, fp8_e5m2), fc.constantFrom(...MODES), fc.boolean(), (c, to, rounding, saturate) => {
        const x = fp32ToNumber(c);
        if (Number.isNaN(x)) return;
        expect(roundNumberToFormat(to, x, { rounding, saturate })).toBe(floatConvert(fp32, to, c, { rounding, saturate }));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('fp16 add/mul fast paths', () => {
  const code = fc.oneof(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7bff, 0xfbff, 1, 0x8001, 0x3c00, 0xbc00));
  it('equal the exact path in every mode', () => {
    fc.assert(
      fc.property(code, code, fc.constantFrom(...MODES), fc.boolean(), (a, b, rounding, saturate) => {
        const opts = { rounding, saturate };
        expect(fastFp16Add(a, b, opts)).toBe(floatAdd(fp16, a, b, opts));
        expect(fastFp16Mul(a, b, opts)).toBe(floatMul(fp16, a, b, opts));
        expect(fastFp16Add(a, a ^ 0x8000, opts)).toBe(floatAdd(fp16, a, a ^ 0x8000, opts));
      }),
      { numRuns: 30000 },
    );
  });
});
