import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rational } from '../../../../sim/golden/rational.ts';
import { dequantizeAffine, dequantizeAffinePerAxis, quantizeAffine, quantizeAffinePerAxis } from '../../../../sim/golden/int/affine.ts';
import { chooseQParams } from '../../../../sim/golden/int/choose-qparams.ts';
import { INT8, UINT8, intMax, intMin, parseIntType } from '../../../../sim/golden/int/int-type.ts';

const r = (s: string) => Rational.parse(s);

describe('quantizeAffine', () => {
  it('matches hand-computed ONNX (rne) and TFLite (rna) results', () => {
    const p = { type: INT8, scale: r('0.5'), zeroPoint: -1n } as const;
    expect(quantizeAffine(r('1.25'), { ...p, rounding: 'rne' })).toBe(1n); // 2.5 -> 2, -1
    expect(quantizeAffine(r('1.25'), { ...p, rounding: 'rna' })).toBe(2n); // 2.5 -> 3, -1
    expect(quantizeAffine(r('-64.5'), { ...p, rounding: 'rne' })).toBe(-128n); // saturates
    expect(quantizeAffine(r('-64'), { ...p, rounding: 'rne', narrowRange: true })).toBe(-127n);
    expect(quantizeAffine(r('1/3'), { type: UINT8, scale: r('1/9'), zeroPoint: 0n, rounding: 'rne' })).toBe(3n);
  });

  it('rejects bad parameters with messages naming them', () => {
    expect(() => quantizeAffine(r('1'), { type: INT8, scale: r('0'), zeroPoint: 0n, rounding: 'rne' })).toThrow(/scale must be > 0/);
    expect(() => quantizeAffine(r('1'), { type: INT8, scale: r('1'), zeroPoint: 128n, rounding: 'rne' })).toThrow(/zero point: 128 is outside int8/);
    expect(() => quantizeAffine(r('1'), { type: UINT8, scale: r('1'), zeroPoint: 0n, rounding: 'rne', narrowRange: true })).toThrow(/signed/);
  });

  const params = fc.record({
    bits: fc.integer({ min: 2, max: 16 }),
    signed: fc.boolean(),
    scaleNum: fc.integer({ min: 1, max: 1000 }),
    scaleDen: fc.integer({ min: 1, max: 1000 }),
    zp: fc.integer({ min: -100, max: 100 }),
    rounding: fc.constantFrom('rne' as const, 'rna' as const),
  });
  const real = fc.tuple(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 1, max: 997 })).map(([n, d]) => Rational.of(BigInt(n), BigInt(d)));

  function build(p: { bits: number; signed: boolean; scaleNum: number; scaleDen: number; zp: number; rounding: 'rne' | 'rna' }) {
    const type = parseIntType(`${p.signed ? '' : 'u'}int${p.bits}`);
    const zp = BigInt(p.zp) < intMin(type) ? intMin(type) : BigInt(p.zp) > intMax(type) ? intMax(type) : BigInt(p.zp);
    return { type, scale: Rational.of(BigInt(p.scaleNum), BigInt(p.scaleDen)), zeroPoint: zp, rounding: p.rounding };
  }

  it('saturates into range, is monotonic, and errs by at most half a step when not saturated (property)', () => {
    fc.assert(
      fc.property(params, real, real, (pp, x, y) => {
        const p = build(pp);
        const qx = quantizeAffine(x, p);
        const qy = quantizeAffine(y, p);
        expect(qx >= intMin(p.type) && qx <= intMax(p.type)).toBe(true);
        if (x.le(y)) expect(qx <= qy).toBe(true);
        if (qx > intMin(p.type) && qx < intMax(p.type)) {
          const err = dequantizeAffine(qx, p).sub(x).abs();
          expect(err.le(p.scale.mulPow2(-1))).toBe(true);
        }
      }),
    );
  });

  it('round-trips every code (dequantize then quantize)', () => {
    fc.assert(
      fc.property(params, fc.integer({ min: -40000, max: 70000 }), (pp, code) => {
        const p = build(pp);
        const q = BigInt(code);
        fc.pre(q >= intMin(p.type) && q <= intMax(p.type));
        expect(quantizeAffine(dequantizeAffine(q, p), p)).toBe(q);
      }),
    );
  });
});

describe('per-axis quantization', () => {
  it('uses the channel of each element along the axis', () => {
    // shape [2, 3], axis 1: column c uses scales[c].
    const p = { type: INT8, axis: 1, scales: [r('1'), r('0.5'), r('2')], zeroPoints: [0n, 1n, -1n], rounding: 'rne' as const };
    const x = ['1', '1', '1', '-3', '-3', '-3'].map(r);
    const q = quantizeAffinePerAxis(x, [2, 3], p);
    expect(q).toEqual([1n, 3n, -1n, -3n, -5n, -3n]); // 1/2 -> 0 (rne) - 1 = -1; -3/2 -> -2 - 1 = -3
    expect(dequantizeAffinePerAxis(q, [2, 3], p).map(String)).toEqual(['1', '1', '0', '-3', '-3', '-4']);
    expect(() => quantizeAffinePerAxis(x, [3, 2], p)).toThrow(/axis 1 has 2 channels/);
    expect(() => quantizeAffinePerAxis(x, [2, 3], { ...p, axis: 2 })).toThrow(/not an axis/);
  });
});

describe('chooseQParams', () => {
  it('matches hand-computed TFLite ChooseQuantizationParams results', () => {
    // uint8 [-10, 30]: scale 40/255 = 8/51; zero point 10 * 51/8 = 63.75 -> 64.
    expect(chooseQParams(r('-10'), r('30'), UINT8, false)).toEqual({ scale: r('8/51'), zeroPoint: 64n });
    // int8 [-1, 1]: scale 2/255; both candidates are -0.5, qmax's error is smaller; -0.5 rounds away to -1.
    expect(chooseQParams(r('-1'), r('1'), INT8, false)).toEqual({ scale: r('2/255'), zeroPoint: -1n });
    expect(chooseQParams(r('0'), r('0'), INT8, false)).toEqual({ scale: Rational.ZERO, zeroPoint: 0n });
    expect(() => chooseQParams(r('1'), r('2'), INT8, false)).toThrow(/contain 0/);
  });
});
