// The examples of docs/golden.md, one per area, run as tests so the documentation cannot rot.
// Expected values are the SCHEMA.md examples (taken from ONNX, TFLite, ac_types, OCP MX) or
// hand computation, noted beside each.
import { describe, expect, test } from 'vitest';
import {
  Rational, INT8, quantizeAffine, narrowInt, quantizeMultiplier, multiplyByQuantizedMultiplier,
  fixedFromString, fixedToRational, fixedType,
  fp16, fp32, fp8_e4m3, floatConvert, floatFma, decodeFloat, valueToString,
  mxfp4_e2m1, mxQuantizeBlock, mxDotFp32, valueFromRational,
  gemminiRoundingShift, nvdlaCvt, accumulatorWidth, gemmRequantInt8,
  ggmlQuantizeRow, ggmlDequantizeRow, ggmlVecDot,
} from '../../../sim/golden/index.ts';

describe('golden API examples (docs/golden.md)', () => {
  test('integers and requantization', () => {
    // ONNX QuantizeLinear: 1.25 / 0.5 = 2.5 -> 2 (ties to even) + zero point -1 = 1 (SCHEMA ex1).
    expect(quantizeAffine(Rational.parse('1.25'), { type: INT8, scale: Rational.parse('0.5'), zeroPoint: -1n, rounding: 'rne' })).toBe(1n);
    expect(narrowInt(200n, INT8, 'WRAP')).toBe(-56n); // SCHEMA ex4
    expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736n, shift: 0 }); // SCHEMA ex7
    expect(multiplyByQuantizedMultiplier(1n, 1073741824n, -1, 'double_round')).toBe(1n); // SCHEMA ex8
  });

  test('fixed point', () => {
    // ac_fixed<3,2,true> = -1.25 with RND (ties toward +inf) -> -1 (SCHEMA ex9).
    const v = fixedFromString('-1.25', fixedType(3, 2, true), 'RND', 'SAT');
    expect(fixedToRational(v).toString()).toBe('-1');
  });

  test('minifloats', () => {
    expect(valueToString(decodeFloat(fp8_e4m3, 0x7e))).toBe('448'); // SCHEMA ex10
    expect(floatConvert(fp32, fp8_e4m3, 0x43e80000)).toBe(0x7e); // 464 -> 448 (SCHEMA ex11)
    expect(floatFma(fp16, 0x3c01, 0x3bff, 0xbc00)).toBe(0x0ffe); // SCHEMA ex15
  });

  test('MX blocks', () => {
    const vals = ['7', '1', '-3', '0.75', ...Array<string>(28).fill('0')].map((s) => valueFromRational(Rational.parse(s)));
    const block = mxQuantizeBlock(mxfp4_e2m1, vals, { scaleRule: 'floor', elementRounding: 'rne' });
    expect(block.scale).toBe(0x7f); // SCHEMA ex13: scale 2^0
    expect(block.elements.slice(0, 4)).toEqual([0x7, 0x2, 0xd, 0x2]);
    // Elements decode to 6 (7 saturates to fp4's max), 1, -3, 1 (0.75 ties to even 1.0):
    // 36 + 1 + 9 + 1 = 47 = fp32 0x423c0000.
    expect(mxDotFp32(block, block)).toBe(0x423c0000);
  });

  test('accelerator output stages and accumulator width', () => {
    expect(gemminiRoundingShift(-5n, 1)).toBe(-2n); // SCHEMA ex16: ties to even
    expect(nvdlaCvt(-100n, { offset: 0n, scaling: 3n, shifter: 3, outType: INT8 })).toBe(-38n); // SCHEMA ex18
    // 9 products of int8 x int8: 9 * 16384 = 147456 needs 19 bits signed (SCHEMA ex14).
    expect(accumulatorWidth({ type: INT8, narrow: false }, { type: INT8, narrow: false }, 9n)).toBe(19);
  });

  test('reference kernels', () => {
    // [1 2; 3 4] x [5 6; 7 8] = [19 22; 43 50], then * 0.5 (multiplier 2^30, shift 0) -> [10 11; 22 25]
    // (19/2 = 9.5 rounds away from zero to 10).
    const y = gemmRequantInt8(Int8Array.of(1, 2, 3, 4), Int8Array.of(5, 6, 7, 8), { m: 2, k: 2, n: 2 }, {}, {
      multiplier: 1 << 30, shift: 0, variant: 'double_round', outputZeroPoint: 0, actMin: -128, actMax: 127,
    });
    expect([...y]).toEqual([10, 11, 22, 25]);
  });

  test('LLM weight formats (ggml blocks)', () => {
    // Hand computation from the SCHEMA layout: max magnitude -8 gives d = -8 / -8 = 1 (fp16 0x3c00,
    // little-endian 00 3c), nibble = x + 8, byte j = element j | element j+16 << 4.
    const x = Float32Array.from({ length: 32 }, (_, j) => (j % 16) - 8);
    const q = ggmlQuantizeRow('q4_0', x);
    expect(Buffer.from(q).toString('hex')).toBe('003c00112233445566778899aabbccddeeff');
    expect(Array.from(ggmlDequantizeRow('q4_0', q))).toEqual(Array.from(x));
    // y = [127, 1, 1, ...] quantizes to q8_0 with d = 127/127 = 1 and codes y; the dot is the exact
    // Σ (x_j)(y_j) = -8 * 127 + (Σ x - x_0) = -1016 + (-16 + 8) = -1024, times d_x = d_y = 1.
    const y = Float32Array.from({ length: 32 }, (_, j) => (j === 0 ? 127 : 1));
    expect(ggmlVecDot('q4_0_q8_0', q, ggmlQuantizeRow('q8_0', y))).toBe(-1024);
  });
});
