/**
 * MX block quantization, dequantization and dot products: scale rules on hand-made blocks, properties
 * over random blocks (ceil never saturates; floor puts amax in the top element binade; every
 * non-saturated element is within half an element ulp), and the dot product against an exact
 * rational sum written here.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFloat, fp32, valueFromRational, valueToRational, valueToString, type ExactValue } from '../../../../sim/golden/float/index.ts';
import {
  MX_FORMATS,
  mxDequantizeBlock,
  mxDotExact,
  mxDotFp32,
  mxfp4_e2m1,
  mxfp8_e4m3,
  mxint8Block,
  mxQuantizeBlock,
  type MxFormat,
  type MxScaleRule,
} from '../../../../sim/golden/mx/index.ts';
import { Rational } from '../../../../sim/golden/rational.ts';

const r = (s: string): ExactValue => valueFromRational(Rational.parse(s), s === '-0');
const block = (head: string[]): ExactValue[] => [...head, ...Array<string>(32 - head.length).fill('0')].map(r);
const strs = (vs: readonly ExactValue[]) => vs.map(valueToString);

describe('scale rules', () => {
  it('floor clamps the top binade, ceil and round avoid it', () => {
    const b = block(['485', '1']);
    expect(mxQuantizeBlock(mxfp8_e4m3, b, { scaleRule: 'floor' }).scale).toBe(127);
    expect(mxQuantizeBlock(mxfp8_e4m3, b, { scaleRule: 'floor' }).elements[0]).toBe(0x7e);
    expect(mxQuantizeBlock(mxfp8_e4m3, b, { scaleRule: 'ceil' }).scale).toBe(128);
    // round: 485 rounds to 4 significant bits as 480 (< 512), so the scale stays; 500 → 512 bumps it.
    expect(mxQuantizeBlock(mxfp8_e4m3, b, { scaleRule: 'round' }).scale).toBe(127);
    expect(mxQuantizeBlock(mxfp8_e4m3, block(['500']), { scaleRule: 'round' }).scale).toBe(128);
    // ceil is exact at the boundary: amax = 448 needs no bump.
    expect(mxQuantizeBlock(mxfp8_e4m3, block(['448']), { scaleRule: 'ceil' }).scale).toBe(127);
    expect(mxQuantizeBlock(mxfp8_e4m3, block(['448.5']), { scaleRule: 'ceil' }).scale).toBe(128);
  });
  it('zero block, clamping and specials', () => {
    expect(mxQuantizeBlock(mxfp4_e2m1, block([])).scale).toBe(0);
    const tiny = mxQuantizeBlock(mxfp4_e2m1, block([Rational.pow2(-200).toString()]));
    expect(tiny.scale).toBe(0); // e clamped to -127
    expect(tiny.elements[0]).toBe(0);
    const nan = mxQuantizeBlock(mxfp4_e2m1, [{ kind: 'nan' }, ...block([]).slice(1)]);
    expect(nan.scale).toBe(0xff);
    expect(mxDequantizeBlock(nan).every((v) => v.kind === 'nan')).toBe(true);
  });
  it('negative values rounding to zero keep -0; mxint8 has no -0', () => {
    const q = mxQuantizeBlock(mxfp4_e2m1, block(['6', '-0.0001', '-0']));
    expect(q.elements.slice(0, 3)).toEqual([0x7, 0x8, 0x8]);
    const i = mxQuantizeBlock(mxint8Block, block(['1', '-0.0001', '-1', '-1.999']));
    expect(i.elements.slice(0, 4)).toEqual([64, 0, 256 - 64, 256 - 127]);
    expect(strs(mxDequantizeBlock(i).slice(0, 4))).toEqual(['1', '0', '-1', '-1.984375']);
  });
  it('element rounding rne vs rna (tie)', () => {
    const b = block(['6', '2.5']); // scale 2^0 for E2M1 (emax 2): 2.5 is a tie between 2 and 3
    expect(mxQuantizeBlock(mxfp4_e2m1, b, { elementRounding: 'rne' }).elements[1]).toBe(0x4);
    expect(mxQuantizeBlock(mxfp4_e2m1, b, { elementRounding: 'rna' }).elements[1]).toBe(0x5);
  });
  it('rejects a wrong block length', () => {
    expect(() => mxQuantizeBlock(mxfp4_e2m1, [r('1')])).toThrow(RangeError);
  });
});

/** Random blocks of exact binary32 values over a wide dynamic range. */
const f32Value = fc
  .tuple(fc.integer({ min: 0, max: 0xffffff }), fc.integer({ min: -40, max: 40 }), fc.boolean())
  .map(([m, e, neg]) => valueFromRational(Rational.of(neg ? -BigInt(m) : BigInt(m)).mulPow2(e - 23)));
const blockArb = fc.array(f32Value, { minLength: 32, maxLength: 32 });
const formats = Object.values(MX_FORMATS);
const rules: MxScaleRule[] = ['floor', 'ceil', 'round'];

describe('block properties', () => {
  it('scale rules bracket amax as documented; elements within half an ulp unless saturated', () => {
    fc.assert(
      fc.property(blockArb, fc.constantFrom(...formats), fc.constantFrom(...rules), fc.constantFrom('rne' as const, 'rna' as const), (vals, fmt: MxFormat, scaleRule, elementRounding) => {
        const q = mxQuantizeBlock(fmt, vals, { scaleRule, elementRounding });
        const amax = vals.map((v) => valueToRational(v).abs()).reduce((a, b) => (a.lt(b) ? b : a));
        if (amax.isZero()) return;
        const e = q.scale - 127;
        const scaled = amax.mulPow2(-e);
        const maxElem = valueToRational(fmt.maxElem);
        if (scaleRule === 'ceil') {
          expect(scaled.le(maxElem)).toBe(true);
          expect(scaled.mulPow2(-1).le(maxElem)).toBe(true);
          expect(amax.mulPow2(-(e - 1)).le(maxElem)).toBe(false); // smallest such e
        }
        if (scaleRule === 'floor') expect(scaled.floorLog2()).toBe(fmt.emaxElem);
        const deq = mxDequantizeBlock(q);
        vals.forEach((v, i) => {
          const x = valueToRational(v).mulPow2(-e);
          const y = valueToRational(deq[i] as ExactValue).mulPow2(-e);
          if (x.abs().cmp(maxElem) >= 0) {
            expect(y.abs().eq(maxElem)).toBe(true);
            return;
          }
          const el = fmt.element;
          const lsb = el.kind === 'mxint8' ? -6 : Math.max(x.isZero() ? 0 : x.abs().floorLog2(), el.emin) - el.manBits;
          expect(y.sub(x).abs().le(Rational.pow2(lsb - 1)), `element ${i}`).toBe(true);
        });
      }),
      { numRuns: 600 },
    );
  });
});

describe('MX dot product', () => {
  it('exact result equals the rational sum of dequantized products; fp32 is its rounding', () => {
    fc.assert(
      fc.property(blockArb, blockArb, fc.constantFrom(...formats), fc.constantFrom(...formats), (x, y, fa, fb) => {
        const a = mxQuantizeBlock(fa, x);
        const b = mxQuantizeBlock(fb, y);
        const da = mxDequantizeBlock(a).map(valueToRational);
        const db = mxDequantizeBlock(b).map(valueToRational);
        const want = da.reduce((s, v, i) => s.add(v.mul(db[i] as Rational)), Rational.ZERO);
        const exact = mxDotExact(a, b);
        expect(valueToRational(exact).eq(want)).toBe(true);
        const f = mxDotFp32(a, b);
        // Correct rounding: no fp32 value lies strictly closer (checked against the neighbours).
        const got = valueToRational(decodeFloat(fp32, f));
        for (const n of [f - 1, f + 1]) {
          if (n < 0 || n >= 0x7f800000 || (f & 0x7fffffff) === 0) continue;
          expect(valueToRational(decodeFloat(fp32, n)).sub(want).abs().lt(got.sub(want).abs())).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('NaN scale or NaN element poisons the dot product', () => {
    const a = mxQuantizeBlock(mxfp8_e4m3, block(['1']));
    const bad = { ...a, scale: 0xff };
    expect(mxDotExact(a, bad).kind).toBe('nan');
    const nanEl = { ...a, elements: [0x7f, ...a.elements.slice(1)] };
    expect(mxDotFp32(a, nanEl)).toBe(0x7fc00000);
  });
});
